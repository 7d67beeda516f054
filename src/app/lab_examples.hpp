// The page's commands for My digits and teaching (lab_examples.cpp): rows of Lab::commands().
#pragma once

#include "app/lab.hpp"

namespace bplab::app::commands {

json::Value add_example(Lab& lab, const json::Value& args);     // addExample({label, pixels?}) -> the set's size
json::Value remove_example(Lab& lab, const json::Value& args);  // removeExample(i)
json::Value clear_examples(Lab& lab, const json::Value& args);  // clearExamples()
json::Value examples(Lab& lab, const json::Value& args);        // examples() -> [{label, predicted, confidence}]
json::Value export_examples(Lab& lab, const json::Value& args); // exportExamples() -> the digits file's text
json::Value import_examples(Lab& lab, const json::Value& args); // importExamples(text) -> the number added
json::Value show_example(Lab& lab, const json::Value& args);    // showExample(i): on the Draw screen, its label chosen
json::Value predict(Lab& lab, const json::Value& args);         // predict(pixels) -> {predicted, activations}
json::Value label(Lab& lab, const json::Value& args);           // setLabel(digit or null): "This is a ..."
json::Value teach(Lab& lab, const json::Value& args);
json::Value note(Lab& lab, const json::Value& args);            // note({message}): the status line says it           // teach(options?)

}  // namespace bplab::app::commands
