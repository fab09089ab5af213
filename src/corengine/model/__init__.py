"""Public: the records of corengine, frozen attrs classes that everything reads and writes.

``from corengine.model import Audit, Standard, Outcome`` works for every record; the submodules hold them by domain.
"""

from corengine.model.records import *  # noqa: F403
from corengine.model.records import FieldError, Finding, Quantity  # noqa: F401
