"""The confusion matrix of a model on the MNIST test set, with numpy, from the model's file alone.

An independent reference for the app's state().confusion and mistakes() (tests/web/mistakes.mjs):

    python3 confusion_reference.py MODEL.json MNIST_DIR

prints one line of JSON: {"confusion": 10x10 counts (rows the true digit, columns the answer),
"labels": each test image's label,
"predicted": the answer for each test image, "confidence": the net's output for it, "margin":
how far it is above the second largest output (a near-tie may round apart from float32)}.
Computed in float64 by network2.py's feedforward, with the model file's hidden activation.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import book_reference as book  # noqa: E402

HIDDEN = {
    "sigmoid": book.sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "softplus": lambda z: np.logaddexp(0.0, z),
}


def answers(model, images):
    """The output activations of every image (one a column)."""
    weights = [np.array(w, dtype=np.float64) for w in model["weights"]]
    biases = [np.array(b, dtype=np.float64) for b in model["biases"]]
    hidden = HIDDEN[model.get("activation", "sigmoid")]
    if model.get("output", "sigmoid") != "sigmoid":
        raise SystemExit("only sigmoid outputs (the app's)")
    a = images.T
    for i, (w, b) in enumerate(zip(weights, biases)):
        z = w @ a + b
        a = book.sigmoid(z) if i == len(weights) - 1 else hidden(z)
    return a


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: confusion_reference.py MODEL.json MNIST_DIR")
    with open(sys.argv[1]) as f:
        model = json.load(f)
    images = book.read_idx(os.path.join(sys.argv[2], "t10k-images-idx3-ubyte")).reshape(-1, 784) / 255.0
    labels = book.read_idx(os.path.join(sys.argv[2], "t10k-labels-idx1-ubyte")).astype(int)
    out = answers(model, images)
    predicted = np.argmax(out, axis=0)
    ordered = np.sort(out, axis=0)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (labels, predicted), 1)
    print(json.dumps({
        "confusion": confusion.tolist(),
        "labels": labels.tolist(),
        "predicted": predicted.tolist(),
        "confidence": out[predicted, np.arange(out.shape[1])].tolist(),
        "margin": (ordered[-1] - ordered[-2]).tolist(),
    }))


if __name__ == "__main__":
    main()
