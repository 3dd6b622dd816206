#!/usr/bin/env python3
"""Replaces a fragment in a file, matching runs of whitespace loosely, so that edits survive
the formatter's rewrapping. Usage: replace.py FILE OLD_FILE NEW_FILE (fragments read from files)."""
import re
import sys

path, old, new = sys.argv[1], open(sys.argv[2]).read().strip(), open(sys.argv[3]).read()
text = open(path).read()
# Javadoc continuation asterisks count as whitespace, so rewrapped comments still match.
tokens = [token for token in old.split() if token != "*"]
pattern = r"[ \t]*(?:\*[ \t]+)?" + r"(?:\s+\*(?=\s))*\s+".join(re.escape(token) for token in tokens)
matches = list(re.finditer(pattern, text))
if len(matches) != 1:
    sys.exit("%s: %d matches for %r" % (path, len(matches), old[:60]))
m = matches[0]
text = text[: m.start()] + new.rstrip("\n") + text[m.end():]
open(path, "w").write(text)
