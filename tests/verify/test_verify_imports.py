"""The verifier needs only ``asen.groups``: imports run groups <- breaking <- models, and verify <- groups."""

import subprocess
import sys

CODE = """
import sys
import numpy as np
import asen.verify
from asen.verify import check_exact_symmetry
assert not any(m.startswith(("asen.breaking", "asen.models")) for m in sys.modules), "loaded on import"
smooth = lambda x: x + np.roll(x, 1, axis=1) + np.roll(x, -1, axis=1)
report = check_exact_symmetry(smooth, "alternating(5)", shapes=(1, 5, 2))   # not 2-closed: closure tested
sources = {c.source for c in report.outside}
assert "2-closure" in sources, sources
print(sorted(m for m in sys.modules if m.startswith(("asen.breaking", "asen.models"))))
"""


def test_verify_never_loads_breaking_or_models():
    out = subprocess.run([sys.executable, "-c", CODE], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
