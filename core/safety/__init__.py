"""Safety screening that runs before and after any model.

`assess` screens what a user writes; `check_output` screens what a model writes. Both are pure
Python over a static data file (no model, network or database) so they keep working when the rest
of the system is down, and neither raises.

`assess(text, semantic=scorer)` adds an optional second layer that can only raise the level: a
`RiskScorer`, such as the embedding classifier from `core.safety.semantic.load_default(embedder)`
(imported from its own module so that the rules never pull in numpy or a model).
"""

from core.ports import RiskScore, RiskScorer
from core.safety.detector import SEMANTIC_RISK, Assessment, Level, assess
from core.safety.output import OutputCheck, check_output
from core.safety.resources import CrisisResources, Helpline, list_regions, resources_for

__all__ = [
    "Assessment",
    "CrisisResources",
    "Helpline",
    "Level",
    "OutputCheck",
    "RiskScore",
    "RiskScorer",
    "SEMANTIC_RISK",
    "assess",
    "check_output",
    "list_regions",
    "resources_for",
]
