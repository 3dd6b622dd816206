#!/usr/bin/env python3
"""Drops unused imports and regroups the others as spring-javaformat's checkstyle wants them: java, javax, all
others, the project's root package, then static imports."""
import re
import sys

ROOT = "dev.switchboard"


def group(line):
    name = line[len("import "):].rstrip(";").strip()
    if name.startswith("static "):
        return 5, name
    if name.startswith("java."):
        return 0, name
    if name.startswith("javax."):
        return 1, name
    if name.startswith(ROOT + "."):
        return 4, name
    return 2, name


def used(line, body):
    name = line.rstrip(";").split(".")[-1]
    if name == "*":
        return True
    return re.search(r"(?<![\w.])" + re.escape(name) + r"\b", body) is not None


def fix(path):
    text = open(path).read()
    lines = text.split("\n")
    first = last = None
    for i, line in enumerate(lines):
        if line.startswith("import "):
            if first is None:
                first = i
            last = i
    if first is None:
        return
    body = "\n".join(l for l in lines if not l.startswith("import "))
    imports = sorted({l for l in lines[first:last + 1] if l.startswith("import ") and used(l, body)}, key=group)
    out, previous = [], None
    for line in imports:
        g = group(line)[0]
        if previous is not None and g != previous:
            out.append("")
        out.append(line)
        previous = g
    new = "\n".join(lines[:first] + out + lines[last + 1:])
    if new != text:
        open(path, "w").write(new)


for p in sys.argv[1:]:
    fix(p)
