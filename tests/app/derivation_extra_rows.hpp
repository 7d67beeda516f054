// A step and a bug more, for the test build of the derivation's tables (derivation_table_tests,
// tests/app/derivation.cmake): src/app/derivation/steps.cpp and bugs.cpp add these rows at the
// end of kSteps and kBugs when BPLAB_DERIVATION_EXTRA_ROWS is defined. Nothing else is changed:
// the test finds them wherever the app shows a step or a bug.
#pragma once

#include "app/derivation/typeset.hpp"

namespace bplab::app::derivation {

inline void extra_step(Out& o) {
  o.label("a step added by one row");
  o.prose("This step is a row of kSteps and this function, and nothing else.");
  o.check(make_check("the extra step's own check", 1.0, 1.0, 0.0));
}

inline const Step kExtraStep = {"extra", "The extra step", "A step that only the test build has.", true, false, false, nullptr,
                                extra_step};

// σ′ dropped in BP2 only: BP1 is right, the hidden δ are wrong (for ReLU too, where σ′(a) would
// equal σ′(z)).
inline std::string extra_bug_on_bp2(const DerivationView&, int) { return "Injected bug: the extra bug, σ′ dropped in BP2 only."; }

inline const Bug kExtraBug = {"extra-bug", "the extra bug", SigmaPrime::OfZ, SigmaPrime::One, false, false, nullptr, extra_bug_on_bp2};

}  // namespace bplab::app::derivation
