#!/usr/bin/env python3
"""The data sets of bench.sh's "defaults" section, and their converged reference.

  defaults-suite.py build CIFAR_DIR OUT    writes OUT/<name>/train and OUT/<name>/test for every data set of the suite
                                           and prints one line per set: name, train path, test path, what it is
  defaults-suite.py holdout CIFAR_DIR OUT  writes OUT/last and OUT/first, each a train.bin of 45,000 CIFAR-10 records
                                           and a test.bin of the 5,000 others (the last or the first 10 %), for the
                                           issue's whole-set targets (the real test set is not here)
  defaults-suite.py reference TRAIN TEST   prints the test accuracy of a converged L2 multinomial logistic
                                           regression (scikit-learn, lbfgs, C=1) fitted on TRAIN's standardised
                                           features

TRAIN and TEST are CIFAR-10 binary files, LibSVM files or folders of class folders of PNG images (what the job
reads). The reference needs numpy and scikit-learn (and Pillow for image folders); the caller checks they import.
"""
import glob
import os
import sys

import numpy as np

RECORD = 3073


def read_cifar(path):
    files = sorted(glob.glob(os.path.join(path, "*.bin"))) if os.path.isdir(path) else [path]
    raw = np.concatenate([np.fromfile(f, dtype=np.uint8) for f in files]).reshape(-1, RECORD)
    return raw[:, 1:].astype(np.float64), raw[:, 0].astype(int)


def read_libsvm(path, width=None):
    from sklearn.datasets import load_svmlight_file
    x, y = load_svmlight_file(path, n_features=width)
    return x.toarray(), y.astype(int)


def read_images(path):
    from PIL import Image
    classes = sorted(d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d)))
    xs, ys = [], []
    for label, c in enumerate(classes):
        for f in sorted(os.listdir(os.path.join(path, c))):
            img = Image.open(os.path.join(path, c, f)).convert("RGB")
            xs.append(np.asarray(img, dtype=np.float64).transpose(2, 0, 1).ravel())
            ys.append(label)
    return np.array(xs), np.array(ys)


def read(path, width=None):
    if path.endswith(".libsvm"):
        return read_libsvm(path, width)
    if os.path.isdir(path) and not glob.glob(os.path.join(path, "*.bin")):
        return read_images(path)
    return read_cifar(path)


def reference(train, test):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    x, y = read(train)
    xt, yt = read(test, x.shape[1])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(scaler.transform(x), y)
    print("%.4f" % model.score(scaler.transform(xt), yt))


def write_cifar(path, x, y):
    records = np.concatenate([y.astype(np.uint8)[:, None], x.astype(np.uint8)], axis=1)
    records.tofile(path)


def write_libsvm(path, x, y):
    # every value written, zeros included: the reader takes the widest row's last index as the width
    with open(path, "w") as out:
        for row, label in zip(x, y):
            out.write(str(int(label)) + " " + " ".join("%d:%g" % (i + 1, v) for i, v in enumerate(row)) + "\n")


def grey_small(x, size):
    """CIFAR rows (3x32x32) to grey size x size: the mean of the channels, then block means."""
    grey = x.reshape(-1, 3, 32, 32).mean(axis=1)
    f = 32 // size
    return grey.reshape(-1, size, f, size, f).mean(axis=(2, 4)).reshape(len(x), -1).round()


def build(cifar, out):
    sets = []
    if os.path.isdir(cifar):
        x, y = read_cifar(cifar)
        test_x, test_y = x[-2000:], y[-2000:]  # the last 2,000 records are every CIFAR set's test split
        for n in (500, 2000, 10000):
            d = os.path.join(out, "cifar-%d" % n)
            os.makedirs(d, exist_ok=True)
            write_cifar(os.path.join(d, "train.bin"), x[:n], y[:n])
            write_cifar(os.path.join(d, "test.bin"), test_x, test_y)
            sets.append(("cifar-%d" % n, d + "/train.bin", d + "/test.bin",
                         "CIFAR-10 %d images, 3x32x32" % n))
        d = os.path.join(out, "cifar-grey16-5000")
        os.makedirs(d, exist_ok=True)
        write_libsvm(os.path.join(d, "train.libsvm"), grey_small(x[:5000], 16), y[:5000])
        write_libsvm(os.path.join(d, "test.libsvm"), grey_small(test_x, 16), test_y)
        sets.append(("cifar-grey16-5000", d + "/train.libsvm", d + "/test.libsvm",
                     "CIFAR-10 5000 images, grey, 16x16 (LibSVM)"))
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        digits = load_digits()
        xtr, xte, ytr, yte = train_test_split(digits.data, digits.target, test_size=0.2, random_state=0,
                                              stratify=digits.target)
        d = os.path.join(out, "digits")
        os.makedirs(d, exist_ok=True)
        write_libsvm(os.path.join(d, "train.libsvm"), xtr, ytr)
        write_libsvm(os.path.join(d, "test.libsvm"), xte, yte)
        sets.append(("digits", d + "/train.libsvm", d + "/test.libsvm",
                     "scikit-learn digits, %d images, grey 8x8 (LibSVM)" % len(xtr)))
    except ImportError:
        print("scikit-learn is missing: no digits set", file=sys.stderr)
    for name, train, test, what in sets:
        print("%s\t%s\t%s\t%s" % (name, train, test, what))


def holdout(cifar, out):
    import shutil
    files = sorted(glob.glob(os.path.join(cifar, "*.bin")))
    raw = np.concatenate([np.fromfile(f, dtype=np.uint8) for f in files]).reshape(-1, RECORD)
    tenth = len(raw) // 10
    for name, test in (("last", slice(len(raw) - tenth, None)), ("first", slice(0, tenth))):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        raw[test].tofile(os.path.join(d, "test.bin"))
        np.delete(raw, np.arange(len(raw))[test], axis=0).tofile(os.path.join(d, "train.bin"))
        meta = os.path.join(cifar, "batches.meta.txt")
        if os.path.exists(meta):
            shutil.copyfile(meta, os.path.join(d, "batches.meta.txt"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "holdout":
        holdout(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "reference":
        reference(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
