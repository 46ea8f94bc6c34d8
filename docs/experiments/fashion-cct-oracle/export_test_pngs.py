#!/usr/bin/env python3
"""Writes Fashion-MNIST's official test images (Debian's dataset-fashion-mnist) as grayscale PNGs for
the oracle specs' `image_folder` tasks: python3 export_test_pngs.py OUT_DIR gives OUT_DIR/tops/<class>
and OUT_DIR/others/<class> (fashion-cct's tasks), and OUT_DIR/halves-a (classes 0-4) and halves-b
(5-9) holding links to those class folders (the class split's). Standard library only (a PNG is a
zlib stream of filtered rows)."""
import gzip, os, struct, sys, zlib

SRC = "/usr/share/datasets/fashion-mnist"
NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
TOPS = {0, 2, 3, 4, 6}  # the built-in fashion-mnist:tops; the rest is :others


def png(pixels, side):
    rows = b"".join(b"\x00" + pixels[r * side:(r + 1) * side] for r in range(side))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main(out):
    images = gzip.open(os.path.join(SRC, "t10k-images-idx3-ubyte.gz")).read()[16:]
    labels = gzip.open(os.path.join(SRC, "t10k-labels-idx1-ubyte.gz")).read()[8:]
    side = 28
    home = [os.path.join(out, "tops" if c in TOPS else "others", NAMES[c]) for c in range(10)]
    for folder in home:
        os.makedirs(folder, exist_ok=True)
    for i, label in enumerate(labels):
        with open(os.path.join(home[label], "%05d.png" % i), "wb") as f:
            f.write(png(images[i * side * side:(i + 1) * side * side], side))
    for half, classes in (("halves-a", range(0, 5)), ("halves-b", range(5, 10))):
        os.makedirs(os.path.join(out, half), exist_ok=True)
        for c in classes:
            link = os.path.join(out, half, NAMES[c])
            if not os.path.islink(link):
                os.symlink(os.path.abspath(home[c]), link)
    print("wrote %d images under %s" % (len(labels), out))


if __name__ == "__main__":
    main(sys.argv[1])
