"""A numpy port of the book's network2.py backprop, as the reference for `bplab backprop`.

Written from chapter 2's equations in the shape of network2.py (same loop, same names, same
file format and loader semantics), so that our engine is checked against the book's
algorithm in double precision, independently of our C++ code. Sigmoid nets only, as in
the book.
"""
import json

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class QuadraticCost:
    @staticmethod
    def fn(a, y):
        return 0.5 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        return (a - y) * sigmoid_prime(z)  # BP1 for the quadratic cost


class CrossEntropyCost:
    @staticmethod
    def fn(a, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sum(np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        return a - y  # σ' cancels


COSTS = {"QuadraticCost": QuadraticCost, "CrossEntropyCost": CrossEntropyCost}


class Network:
    def __init__(self, sizes, weights, biases, cost):
        self.sizes, self.weights, self.biases, self.cost = sizes, weights, biases, cost
        self.num_layers = len(sizes)

    def backprop(self, x, y):
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        deltas = [None] * (self.num_layers - 1)
        nabla_b = [None] * (self.num_layers - 1)
        nabla_w = [None] * (self.num_layers - 1)
        delta = self.cost.delta(zs[-1], activations[-1], y)
        deltas[-1], nabla_b[-1] = delta, delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):  # l counts back from the output, as in network2.py
            sp = sigmoid_prime(zs[-l])
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sp
            deltas[-l], nabla_b[-l] = delta, delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return zs, activations, deltas, nabla_b, nabla_w

    def accuracy(self, images, labels):
        a = images.T  # one example per column
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a) + b)
        return int(np.sum(np.argmax(a, axis=0) == labels))


def load(filename):
    """network2.load: json.load, np.array of each list, the cost class by its name."""
    with open(filename) as f:
        data = json.load(f)
    net = Network(data["sizes"], [np.array(w) for w in data["weights"]],
                  [np.array(b) for b in data["biases"]], COSTS[data["cost"]])
    for i, (w, b) in enumerate(zip(net.weights, net.biases)):
        assert w.shape == (net.sizes[i + 1], net.sizes[i]), "weights[%d] has shape %s" % (i, w.shape)
        assert b.shape == (net.sizes[i + 1], 1), "biases[%d] has shape %s" % (i, b.shape)
    return net


def save(net, filename):
    """network2.save, byte for byte the same fields."""
    data = {"sizes": net.sizes, "weights": [w.tolist() for w in net.weights],
            "biases": [b.tolist() for b in net.biases], "cost": net.cost.__name__}
    with open(filename, "w") as f:
        json.dump(data, f)


def random_network(sizes, cost, rng):
    return Network(sizes, [rng.standard_normal((y, x)) / np.sqrt(x) for x, y in zip(sizes[:-1], sizes[1:])],
                   [rng.standard_normal((y, 1)) for y in sizes[1:]], cost)


def vectorized_result(j, n=10):
    e = np.zeros((n, 1))
    e[j] = 1.0
    return e


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(magic & 0xFF)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def speed_of_learning(net, images, labels, n=1000):
    """Chapter 5's speed of learning, as the book's figure script (generate_gradient.py) has it:
    network2's backprop bias gradients averaged over training_data[:n], the norm of each layer's
    average, the output layer left out. `images` are raw bytes (one row per image)."""
    total = [np.zeros(b.shape) for b in net.biases]
    for image, label in zip(images[:n], labels[:n]):
        _, _, _, nabla_b, _ = net.backprop(image.reshape(-1, 1) / 255.0, vectorized_result(int(label)))
        total = [t + g for t, g in zip(total, nabla_b)]
    return [float(np.linalg.norm(t / n)) for t in total[:-1]]
