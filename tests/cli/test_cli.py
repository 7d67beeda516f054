"""End-to-end tests of the `bplab` command-line tool.

Run by ctest as: python3 test_cli.py (with BPLAB=<path to bplab> and BPLAB_DATA=<MNIST dir>).
`bplab backprop` is compared with book_reference.py, a numpy port of network2.py's backprop.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import book_reference as book  # noqa: E402

BPLAB = os.environ.get("BPLAB", "bplab")
DATA = os.environ.get("BPLAB_DATA", "")
HAVE_MNIST = bool(DATA) and os.path.exists(os.path.join(DATA, "t10k-images-idx3-ubyte"))


def run(*args, timeout=300):
    p = subprocess.run([BPLAB, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


class Workdir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w" if isinstance(text, str) else "wb") as f:
            f.write(text)
        return self.path(name)

    def assert_clean_failure(self, args, fragment=None):
        code, out, err = run(*args)
        self.assertGreater(code, 0, "should fail: bplab %s" % " ".join(map(str, args)))
        self.assertLess(code, 128, "crashed (signal): bplab %s\n%s" % (" ".join(map(str, args)), err))
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, "one line on stderr expected, got: %r" % err)
        self.assertTrue(lines[0].startswith("bplab: "), lines[0])
        if fragment:
            self.assertIn(fragment, lines[0])


class BadInput(Workdir):
    def test_absurd_settings_are_refused(self):
        for args, fragment in [
            (["train", "--sizes", "784,0,10"], "size 0"),
            (["train", "--sizes", "784"], "two layers"),
            (["train", "--sizes", "784,100000,1000"], "parameters"),
            (["train", "--sizes", "784,abc,10"], "--sizes"),
            (["train", "--sizes", "784,30,"], "--sizes"),
            (["train", "--sizes", "99999999999,10"], "--sizes"),
            (["train", "--eta", "0"], "eta"),
            (["train", "--eta", "-1"], "eta"),
            (["train", "--eta", "nan"], "--eta"),
            (["train", "--eta", "inf"], "--eta"),
            (["train", "--eta", "3x"], "--eta"),
            (["train", "--batch", "0"], "--batch"),
            (["train", "--epochs", "0"], "--epochs"),
            (["train", "--lambda", "-1"], "lambda"),
            (["train", "--cost", "hinge"], "--cost"),
            (["train", "--activation", "softmax"], "softmax"),
            (["train", "--init", "huge"], "--init"),
            (["train", "--sizes", "10,10"], "784"),
            (["train", "--frobnicate", "1"], "unknown option"),
            (["train", "--eta"], "needs a value"),
            (["train", "--data", "/nonexistent-dir"], "no MNIST"),
            (["train", "--out", "/nonexistent-dir/model.json"], "cannot write"),
            (["eval"], "--model"),
            (["eval", "--model", "/nonexistent.json"], "/nonexistent.json"),
            (["fly"], "unknown command"),
        ]:
            with self.subTest(args=args):
                self.assert_clean_failure(args, fragment)

    def test_bad_model_files_are_refused(self):
        good = {"sizes": [2, 3, 1], "weights": [[[0.1, 0.2]] * 3, [[0.1, 0.2, 0.3]]],
                "biases": [[[0.0]] * 3, [[0.5]]], "cost": "QuadraticCost"}
        cases = {
            "truncated": json.dumps(good)[:-10],
            "nan": json.dumps(good).replace("0.5", "NaN"),
            "infinity": json.dumps(good).replace("0.5", "1e999"),
            "string": json.dumps(good).replace("0.5", '"0.5"'),
            "shape": json.dumps(dict(good, weights=[[[0.1, 0.2]] * 2, [[0.1, 0.2, 0.3]]])),
            "cost": json.dumps(dict(good, cost="HingeCost")),
            "sizes": json.dumps(dict(good, sizes=[2, 0, 1])),
            "huge": json.dumps(dict(good, sizes=[100000, 100000, 10])),
            "empty": "",
            "binary": b"\x00\xff\xfe garbage",
        }
        x = self.write("x.json", json.dumps({"x": [0.5, 0.5], "y": 0}))
        for name, text in cases.items():
            with self.subTest(case=name):
                model = self.write(name + ".json", text)
                self.assert_clean_failure(["backprop", "--model", model, "--input", x])

    def test_bad_inputs_are_refused(self):
        model = self.path("m.json")
        book.save(book.random_network([3, 4, 2], book.QuadraticCost, np.random.default_rng(0)), model)
        for name, text in {
            "short": {"x": [0.1, 0.2], "y": 0},
            "label": {"x": [0.1, 0.2, 0.3], "y": 2},
            "fraction": {"x": [0.1, 0.2, 0.3], "y": 0.5},
            "word": {"x": [0.1, "a", 0.3], "y": 0},
            "no-x": {"y": 0},
        }.items():
            with self.subTest(case=name):
                x = self.write(name + ".json", json.dumps(text))
                self.assert_clean_failure(["backprop", "--model", model, "--input", x])

    @unittest.skipUnless(HAVE_MNIST, "MNIST not found")
    def test_corrupt_idx_files_are_refused(self):
        names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"]
        for corruption in ["truncate", "magic", "label"]:
            with self.subTest(corruption=corruption):
                d = os.path.join(self.dir, corruption)
                os.makedirs(d)
                for n in names:
                    with open(os.path.join(DATA, n), "rb") as f:
                        data = bytearray(f.read())
                    if n.startswith("t10k-labels"):
                        if corruption == "truncate":
                            data = data[:-1]
                        elif corruption == "magic":
                            data[3] = 0x03
                        else:
                            data[100] = 10
                    with open(os.path.join(d, n), "wb") as f:
                        f.write(data)
                model = self.path("m.json")
                book.save(book.random_network([784, 5, 10], book.QuadraticCost, np.random.default_rng(1)), model)
                self.assert_clean_failure(["eval", "--model", model, "--data", d], "t10k")


class AgreesWithTheBook(Workdir):
    def compare(self, net, x, label):
        model, inp = self.path("model.json"), self.path("x.json")
        book.save(net, model)
        with open(inp, "w") as f:
            json.dump({"x": x.ravel().tolist(), "y": int(label)}, f)
        code, out, err = run("backprop", "--model", model, "--input", inp)
        self.assertEqual(code, 0, err)
        got = json.loads(out)
        zs, activations, deltas, nabla_b, nabla_w = net.backprop(x.reshape(-1, 1), book.vectorized_result(label, net.sizes[-1]))

        def close(ours, theirs, what):
            ours, theirs = np.array(ours, dtype=float).ravel(), np.asarray(theirs).ravel()
            self.assertEqual(ours.shape, theirs.shape, what)
            scale = max(1e-300, np.max(np.abs(theirs)))
            self.assertLess(np.max(np.abs(ours - theirs)) / scale, 1e-12, what)

        close(got["cost"], net.cost.fn(activations[-1], book.vectorized_result(label, net.sizes[-1])), "cost")
        close(got["output"], activations[-1], "output")
        for i in range(len(zs)):
            close(got["z"][i], zs[i], "z[%d]" % i)
            close(got["delta"][i], deltas[i], "delta[%d]" % i)
            close(got["nabla_b"][i], nabla_b[i], "nabla_b[%d]" % i)
            close(got["nabla_w"][i], nabla_w[i], "nabla_w[%d]" % i)
            self.assertEqual(np.array(got["nabla_w"][i]).shape, nabla_w[i].shape)
        for i in range(len(activations)):
            close(got["a"][i], activations[i], "a[%d]" % i)

        code, out, err = run("gradcheck", "--model", model, "--input", inp)
        self.assertEqual(code, 0, out + err)
        self.assertIn("max relative error", out)

    def test_backprop_matches_network2_on_random_nets(self):
        rng = np.random.default_rng(7)
        for sizes in ([4, 3, 2], [6, 5, 4, 3], [10, 8, 10]):
            for cost in (book.QuadraticCost, book.CrossEntropyCost):
                with self.subTest(sizes=sizes, cost=cost.__name__):
                    net = book.random_network(sizes, cost, rng)
                    self.compare(net, rng.random(sizes[0]), int(rng.integers(sizes[-1])))

    @unittest.skipUnless(HAVE_MNIST, "MNIST not found")
    def test_backprop_matches_network2_on_mnist_digits(self):
        images = book.read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte"))
        labels = book.read_idx(os.path.join(DATA, "t10k-labels-idx1-ubyte"))
        rng = np.random.default_rng(3)
        for cost in (book.QuadraticCost, book.CrossEntropyCost):
            net = book.random_network([784, 30, 10], cost, rng)
            for i in (0, 1, 4242):
                with self.subTest(cost=cost.__name__, image=i):
                    self.compare(net, images[i].reshape(-1) / 255.0, labels[i])

    def test_a_file_in_the_books_format_loads_and_ours_loads_in_the_books_loader(self):
        # json.dump of network2.save's dict, as the book writes it (four fields, n x 1 biases).
        net = book.random_network([5, 4, 3], book.CrossEntropyCost, np.random.default_rng(11))
        path = self.path("book.json")
        book.save(net, path)
        x = self.write("x.json", json.dumps({"x": [0.1, 0.2, 0.3, 0.4, 0.5], "y": 1}))
        code, out, err = run("backprop", "--model", path, "--input", x)
        self.assertEqual(code, 0, err)


@unittest.skipUnless(HAVE_MNIST, "MNIST not found")
class TrainAndEval(Workdir):
    def test_train_prints_the_books_lines_and_the_model_round_trips(self):
        out_path = self.path("model.json")
        code, out, err = run("train", "--sizes", "784,20,10", "--eta", "3.0", "--batch", "10", "--epochs", "2",
                             "--seed", "3", "--out", out_path)
        self.assertEqual(code, 0, err)
        lines = out.strip().splitlines()
        self.assertRegex(lines[0], r"^Epoch 0: \d+ / 10000$")
        self.assertRegex(lines[1], r"^Epoch 1: \d+ / 10000$")
        last = int(lines[1].split()[2])
        self.assertGreater(last, 8500, "two epochs of [784,20,10] should pass 85%")
        self.assertTrue(any(l.startswith("Best: epoch") for l in lines))
        self.assertTrue(any(l.startswith("Seconds per epoch:") for l in lines))

        # Our file loads in the book's loader, with the book's shapes, and scores the same there.
        net = book.load(out_path)
        images = book.read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte")).reshape(10000, 784) / 255.0
        labels = book.read_idx(os.path.join(DATA, "t10k-labels-idx1-ubyte"))
        theirs = net.accuracy(images, labels)
        code, out, err = run("eval", "--model", out_path)
        self.assertEqual(code, 0, err)
        ours = int(out.split()[0])
        self.assertEqual(out.strip(), "%d / 10000" % ours)
        self.assertLessEqual(abs(ours - last), 0, "eval must agree with the last epoch's line")
        self.assertLessEqual(abs(ours - theirs), 3, "float evaluation vs the book's double: %d vs %d" % (ours, theirs))

    def test_divergence_stops_and_keeps_the_good_file(self):
        good = self.path("good.json")
        book.save(book.random_network([784, 10, 10], book.CrossEntropyCost, np.random.default_rng(2)), good)
        with open(good) as f:
            before = f.read()
        self.assert_clean_failure(["train", "--sizes", "784,30,10", "--cost", "cross-entropy", "--eta", "1000",
                                   "--epochs", "3", "--out", good], "diverged")
        with open(good) as f:
            self.assertEqual(f.read(), before)

    def test_softplus_is_a_flag_and_a_model_files_activation(self):
        # Softplus is one row of the engine's activation table: --activation takes it, the usage
        # lists it, the model file names it, and eval reads that file back.
        code, out, err = run("--help")
        self.assertIn("softplus", out + err)
        p = self.path("softplus.json")
        code, out, err = run("train", "--sizes", "784,30,10", "--activation", "softplus", "--eta", "0.1",
                             "--cost", "cross-entropy", "--init", "scaled", "--epochs", "1", "--seed", "4", "--out", p)
        self.assertEqual(code, 0, err)
        with open(p) as f:
            self.assertEqual(json.load(f)["activation"], "softplus")
        self.assertGreater(int(out.splitlines()[0].split()[2]), 9000, out)  # 94.3% here
        code, out, err = run("eval", "--model", p)
        self.assertEqual(code, 0, err)
        self.assert_clean_failure(["train", "--sizes", "784,10,10", "--output", "softplus", "--epochs", "1"], "--output")

    def test_same_seed_same_model(self):
        a, b = self.path("a.json"), self.path("b.json")
        for p in (a, b):
            code, _, err = run("train", "--sizes", "784,10,10", "--epochs", "1", "--seed", "9", "--out", p)
            self.assertEqual(code, 0, err)
        with open(a) as fa, open(b) as fb:
            self.assertEqual(fa.read(), fb.read())

    def test_the_shipped_pretrained_model_scores_as_documented(self):
        model = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "model-784-30-10.json")
        code, out, err = run("eval", "--model", model)
        self.assertEqual(code, 0, err)
        self.assertGreaterEqual(int(out.split()[0]), 9600, "assets/README.md documents 96.47%")

    def test_bench_prints_its_figures(self):
        code, out, err = run("bench", "--epochs", "1")
        self.assertEqual(code, 0, err)
        for key in ("seconds per epoch:", "examples per second:", "GFLOP/s:", "evaluation, examples per second:"):
            self.assertIn(key, out)


@unittest.skipUnless(HAVE_MNIST, "MNIST not found")
class SpeedOfLearning(Workdir):
    """`bplab speed` against book_reference.speed_of_learning (the book's figure script in numpy)."""

    @classmethod
    def setUpClass(cls):
        cls.images = book.read_idx(os.path.join(DATA, "train-images-idx3-ubyte"))[:1000].reshape(1000, 784)
        cls.labels = book.read_idx(os.path.join(DATA, "train-labels-idx1-ubyte"))[:1000]

    def speed(self, *args):
        code, out, err = run("speed", *args)
        self.assertEqual(code, 0, err)
        result = json.loads(out)
        self.assertEqual(sorted(result), ["examples", "speed"])
        return result

    def test_speed_equals_numpy_on_the_same_saved_net(self):
        for sizes, extra in [("784,30,30,10", []), ("784,30,30,30,30,10", ["--seed", "5"]),
                             ("784,20,15,10", ["--cost", "quadratic", "--seed", "2"]),
                             ("784,30,30,10", ["--init", "large", "--seed", "3"])]:
            with self.subTest(sizes=sizes, extra=extra):
                saved = self.path("net.json")
                ours = self.speed("--sizes", sizes, *extra, "--save", saved)
                self.assertEqual(ours["examples"], 1000)
                theirs = book.speed_of_learning(book.load(saved), self.images, self.labels)
                self.assertEqual(len(ours["speed"]), len(sizes.split(",")) - 2)
                np.testing.assert_allclose(ours["speed"], theirs, rtol=0, atol=1e-6)
                np.testing.assert_allclose(ours["speed"], theirs, rtol=1e-9)  # in fact to rounding
                # The saved net, read back, gives the same numbers.
                self.assertEqual(self.speed("--model", saved)["speed"], ours["speed"])
        # --examples: the first n images.
        ours = self.speed("--model", saved, "--examples", "100")
        self.assertEqual(ours["examples"], 100)
        np.testing.assert_allclose(ours["speed"], book.speed_of_learning(book.load(saved), self.images, self.labels,
                                                                         100), rtol=1e-9)

    def test_a_book_net_loads_and_its_speed_agrees(self):
        net = book.random_network([784, 30, 30, 30, 10], book.CrossEntropyCost, np.random.default_rng(23))
        path = self.path("book.json")
        book.save(net, path)
        np.testing.assert_allclose(self.speed("--model", path)["speed"],
                                   book.speed_of_learning(net, self.images, self.labels), rtol=1e-9, atol=1e-12)

    def test_the_book_defaults_are_network2s(self):
        saved = self.path("net.json")
        self.speed("--sizes", "784,30,30,10", "--seed", "4", "--save", saved)
        with open(saved) as f:
            model = json.load(f)
        self.assertEqual(model["cost"], "CrossEntropyCost")
        # The scaled initialisation: weights of the first layer have standard deviation 1/sqrt(784).
        self.assertAlmostEqual(float(np.std(model["weights"][0])), 1 / 28, delta=0.002)
        # The same net `bplab train` makes for that seed: one epoch from it with eta tiny hardly moves,
        # so compare the untrained file with train's --out after 1 epoch of eta 1e-9.
        trained = self.path("trained.json")
        code, _, err = run("train", "--sizes", "784,30,30,10", "--seed", "4", "--cost", "cross-entropy", "--init",
                           "scaled", "--eta", "1e-9", "--epochs", "1", "--out", trained)
        self.assertEqual(code, 0, err)
        with open(trained) as f:
            after = json.load(f)
        np.testing.assert_allclose(np.array(after["weights"][0]), np.array(model["weights"][0]), atol=1e-6)

    def test_means_over_seeds_are_ordered_and_near_the_books(self):
        # The numpy means over 10 random nets; ours over 6 seeds. A single net varies by
        # about 30% (seeds 0-9 here: [784,30,30,10] 0.037-0.064 and 0.23-0.42).
        book_means = {"784,30,30,10": [0.060, 0.307], "784,30,30,30,10": [0.0124, 0.0614, 0.281],
                      "784,30,30,30,30,10": [0.0022, 0.0116, 0.0576, 0.290]}
        for sizes, expected in book_means.items():
            with self.subTest(sizes=sizes):
                speeds = np.array([self.speed("--sizes", sizes, "--seed", str(seed))["speed"] for seed in range(6)])
                means = speeds.mean(axis=0)
                self.assertTrue(np.all(np.diff(means) > 0), "slower towards the input: %s" % means)
                for ours, theirs in zip(means, expected):
                    self.assertLess(abs(np.log(ours / theirs)), np.log(1.6), "%s vs the book's %s" % (means, expected))
                # Each layer about 4-6 times slower than the next (the book: "about four times").
                ratios = means[1:] / means[:-1]
                self.assertTrue(np.all((ratios > 2.5) & (ratios < 10)), ratios)

    def test_train_prints_the_speed_after_each_epoch(self):
        out_path = self.path("m.json")
        code, out, err = run("train", "--sizes", "784,30,30,10", "--cost", "cross-entropy", "--init", "scaled",
                             "--eta", "0.1", "--epochs", "2", "--seed", "1", "--speed", "--out", out_path)
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^Epoch 0: \d+ / 10000$")
        self.assertRegex(lines[1], r"^Speed of learning: \S+ \S+$")
        self.assertRegex(lines[2], r"^Epoch 1: \d+ / 10000$")
        self.assertRegex(lines[3], r"^Speed of learning: \S+ \S+$")
        last = [float(v) for v in lines[3].split(":")[1].split()]
        np.testing.assert_allclose(last, book.speed_of_learning(book.load(out_path), self.images, self.labels),
                                   rtol=1e-6)
        code, out, _ = run("train", "--sizes", "784,10,10", "--epochs", "1")
        self.assertNotIn("Speed", out)

    def test_bad_arguments(self):
        model = self.path("m.json")
        book.save(book.random_network([784, 10, 10], book.QuadraticCost, np.random.default_rng(0)), model)
        small = self.path("small.json")
        book.save(book.random_network([3, 4, 2], book.QuadraticCost, np.random.default_rng(0)), small)
        for args, fragment in [
            (["speed"], "--model"),
            (["speed", "--model", model, "--sizes", "784,30,10"], "either"),
            (["speed", "--model", model, "--seed", "2"], "--seed"),
            (["speed", "--model", model, "--cost", "quadratic"], "--cost"),
            (["speed", "--sizes", "784,30,10", "--examples", "0"], "--examples"),
            (["speed", "--sizes", "784,30,10", "--examples", "50001"], "--examples"),
            (["speed", "--sizes", "784,30,10", "--examples", "many"], "--examples"),
            (["speed", "--sizes", "784,30,10", "--cost", "hinge"], "--cost"),
            (["speed", "--sizes", "784,30,10", "--init", "huge"], "--init"),
            (["speed", "--sizes", "784,x,10"], "--sizes"),
            (["speed", "--sizes", "10,10"], "784"),
            (["speed", "--model", small], "784"),
            (["speed", "--model", self.path("missing.json")], "missing.json"),
            (["speed", "--sizes", "784,30,10", "--save", self.dir], "is a directory"),
            (["speed", "--sizes", "784,30,10", "--data", "/nonexistent-dir"], "no MNIST"),
            (["speed", "--sizes", "784,30,10", "--output", "softmax"], "unknown option"),
            (["train", "--speed", "yes"], "unexpected argument"),
            (["train", "--speed", "--speed"], "twice"),
        ]:
            with self.subTest(args=args):
                self.assert_clean_failure(args, fragment)


class SingleNeuron(unittest.TestCase):
    """`bplab neuron` against chapter 3's definitions, step by step in Python."""

    @staticmethod
    def reference(w, b, eta, epochs, cost, x=1.0, y=0.0):
        sigma = lambda z: 1 / (1 + np.exp(-z))
        points = []
        for epoch in range(epochs + 1):
            a = sigma(w * x + b)
            c = (y - a) ** 2 / 2 if cost == "quadratic" else -(y * np.log(a) + (1 - y) * np.log(1 - a))
            points.append({"epoch": epoch, "w": w, "b": b, "a": a, "cost": c})
            delta = (a - y) * a * (1 - a) if cost == "quadratic" else a - y  # dC/dz
            w, b = w - eta * x * delta, b - eta * delta
        return points

    def neuron(self, *args):
        code, out, err = run("neuron", *args)
        self.assertEqual(code, 0, err)
        return json.loads(out)["epochs"]

    def test_equals_the_definitions(self):
        for start in [(2, 2), (0.6, 0.9), (-1.5, 0.3)]:
            for cost in ("quadratic", "cross-entropy"):
                for x, y, eta, epochs in [(1, 0, 0.15, 300), (0.5, 1, 0.7, 120), (-2, 0.25, 0.05, 40)]:
                    with self.subTest(start=start, cost=cost, x=x, y=y):
                        ours = self.neuron("--w", start[0], "--b", start[1], "--eta", eta, "--epochs", epochs,
                                           "--cost", cost, "--x", x, "--y", y)
                        theirs = self.reference(start[0], start[1], eta, epochs, cost, x, y)
                        self.assertEqual(len(ours), epochs + 1)
                        for o, t in zip(ours, theirs):
                            self.assertEqual(sorted(o), ["a", "b", "cost", "epoch", "w"])
                            self.assertEqual(o["epoch"], t["epoch"])
                            for key in ("w", "b", "a", "cost"):
                                self.assertAlmostEqual(o[key], t[key], delta=1e-9, msg="%s %s" % (key, o))

    def test_the_defaults_and_the_books_numbers(self):
        quadratic = self.neuron("--cost", "quadratic")
        self.assertEqual(len(quadratic), 301)
        self.assertEqual((quadratic[0]["w"], quadratic[0]["b"]), (2, 2))
        # Chapter 3: from (2, 2) the quadratic cost's output is still 0.96 after 100 epochs,
        # the cross-entropy's 0.04; its cost falls fastest at first, the quadratic's hardly moves.
        self.assertAlmostEqual(quadratic[100]["a"], 0.96, delta=0.006)
        entropy = self.neuron("--w", 2, "--b", 2, "--eta", 0.15, "--epochs", 300, "--cost", "cross-entropy")
        self.assertAlmostEqual(entropy[100]["a"], 0.04, delta=0.006)
        self.assertLess(quadratic[0]["cost"] - quadratic[20]["cost"], 0.01)
        self.assertGreater(entropy[0]["cost"] - entropy[20]["cost"], 1.0)
        # From (0.6, 0.9) both learn at once (the book's first example): 0.82 down to about 0.09.
        start = self.neuron("--w", 0.6, "--b", 0.9, "--cost", "quadratic")
        self.assertAlmostEqual(start[0]["a"], 0.82, delta=0.005)
        self.assertAlmostEqual(start[300]["a"], 0.09, delta=0.01)

    def test_bad_arguments(self):
        for args, fragment in [
            (["neuron", "--cost", "log-likelihood"], "quadratic or cross-entropy"),
            (["neuron", "--cost", "hinge"], "--cost"),
            (["neuron", "--eta", "0"], "eta"),
            (["neuron", "--eta", "-1"], "eta"),
            (["neuron", "--w", "nan"], "--w"),
            (["neuron", "--b", "1e999"], "--b"),
            (["neuron", "--y", "2"], "y"),
            (["neuron", "--epochs", "-1"], "--epochs"),
            (["neuron", "--epochs", "10000000"], "--epochs"),
            (["neuron", "--x"], "needs a value"),
            (["neuron", "--z", "1"], "unknown option"),
            (["neuron", "--w", "1000", "--cost", "cross-entropy"], "saturated"),
        ]:
            with self.subTest(args=args):
                Workdir.assert_clean_failure(self, args, fragment)


HERE = os.path.dirname(os.path.abspath(__file__))


def data(name):
    return os.path.join(HERE, "data", name)


class HostileInput(Workdir):
    """Issue 16's reproducers (tests/cli/data): each ends in one clear line and a failure code."""

    def test_gradcheck_fails_on_an_infinite_cost(self):
        self.assert_clean_failure(["gradcheck", "--model", data("gradcheck_ok_on_inf_cost.model.json"),
                                   "--input", data("gradcheck_ok_on_inf_cost.input.json")], "not finite")

    def test_backprop_fails_when_z_overflows(self):
        self.assert_clean_failure(["backprop", "--model", data("backprop_exit0_null_z.model.json"),
                                   "--input", data("backprop_exit0_null_z.input.json")], "not finite")

    def test_fifos_and_directories_are_refused_without_blocking(self):
        fifo = self.path("fifo")
        os.mkfifo(fifo)
        x = self.write("x.json", json.dumps({"x": [0.5, 0.5], "y": 0}))
        model = data("gradcheck_ok_on_inf_cost.model.json")
        for args, fragment in [
            (["eval", "--model", fifo], "not a regular file"),
            (["backprop", "--model", fifo, "--input", x], "not a regular file"),
            (["backprop", "--model", model, "--input", fifo], "not a regular file"),
            (["backprop", "--model", self.dir, "--input", x], "is a directory"),
            (["backprop", "--model", model, "--input", self.dir], "is a directory"),
        ]:
            with self.subTest(args=args):
                self.assert_clean_failure(args, fragment)  # run() times out (and fails) if it blocks
        data_dir = self.path("data")
        os.mkdir(data_dir)
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                     "t10k-labels-idx1-ubyte"]:
            os.mkfifo(os.path.join(data_dir, name))
        mnist_model = self.path("mnist.json")
        book.save(book.random_network([784, 10], book.QuadraticCost, np.random.default_rng(0)), mnist_model)
        self.assert_clean_failure(["eval", "--model", mnist_model, "--data", data_dir], "no MNIST files")

    def test_the_model_path_is_named_once(self):
        missing = self.path("missing.json")
        code, out, err = run("eval", "--model", missing)
        self.assertEqual(err.count(missing), 1, err)
        bad = self.write("bad.json", "{")
        code, out, err = run("eval", "--model", bad)
        self.assertEqual(err.count(bad), 1, err)

    def test_a_small_model_text_is_refused_before_allocating(self):
        # 7.5 KB of text for a 12000 x 830 matrix (80 MB) with empty rows: the rows are checked
        # before the matrix is allocated, so it fails on its shape even with 80 MB of address
        # space (before the fix: "out of memory").
        import resource
        text = json.dumps({"sizes": [12000, 830], "weights": [[[]] * 830], "biases": [[[0]] * 830],
                           "cost": "QuadraticCost"})
        model = self.write("small.json", text)
        limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (80 << 20, 80 << 20))
        p = subprocess.run([BPLAB, "eval", "--model", model], capture_output=True, text=True, timeout=60,
                           preexec_fn=limit)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("weights[0][0] has 0 numbers, expected 12000", p.stderr)
        # The fuzzers' reproducer (50000 x 999) is now past the parameter limit.
        self.assert_clean_failure(["eval", "--model", os.path.join(HERE, "..", "engine", "data", "model",
                                                                   "model_3KB_allocates_400MB.json")], "parameters")

    def test_out_naming_a_folder_fails_before_training(self):
        self.assert_clean_failure(["train", "--epochs", "1", "--out", self.dir], "is a directory")

    def test_bench_sizes_are_bounded(self):
        # 20000 inputs x 50,000 random examples would be 4 GB: it takes 3,355 examples (256 MB).
        code, out, err = run("bench", "--sizes", "20000,10", "--epochs", "1")
        self.assertEqual(code, 0, err)
        self.assertIn("3355 examples per epoch", out)
        self.assert_clean_failure(["bench", "--sizes", "1000000,1", "--batch", "100", "--epochs", "1"],
                                  "random examples")


if __name__ == "__main__":
    unittest.main(verbosity=2)
