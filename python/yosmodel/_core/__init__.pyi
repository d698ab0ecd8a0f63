# Type stubs for yosmodel._core, the compiled half of the package (bindings/): one stub per
# submodule, as module.cpp makes one submodule per area. tests/python/test_typing.py compares
# each stub's names and parameters with the compiled module's own signatures.
from . import core as core
from . import disclosure as disclosure
from . import evaluation as evaluation
from . import inspection as inspection
from . import measures as measures
from . import reoffending as reoffending
from . import stats as stats
