#!/usr/bin/env python3
"""Adds Javadoc tags to the comment right above the line containing a signature.
Usage: add-tags.py FILE 'signature' '@param a the a' ['@return ...']"""
import sys

path, signature, tags = sys.argv[1], sys.argv[2], sys.argv[3:]
lines = open(path).read().split("\n")
for i, line in enumerate(lines):
    if signature in line and not line.strip().startswith("*"):
        j = i - 1
        while j >= 0 and lines[j].strip().startswith("@"):
            j -= 1
        if lines[j].strip() != "*/":
            sys.exit("no Javadoc above " + signature)
        indent = lines[j][: len(lines[j]) - len(lines[j].lstrip())]
        lines[j:j] = [indent + " * " + tag for tag in tags]
        break
else:
    sys.exit("not found: " + signature)
open(path, "w").write("\n".join(lines))
