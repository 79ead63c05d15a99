from .assessment import AssessmentRun, AssessmentScheme, AssessmentScore, ManualScore
from .config import CardRule, LightThreshold
from .exchange import ExchangeSystem
from .oversight import Card, Correction
from .records import CaseEventRecord, Light, Stage, SupervisedCase, Warning

__all__ = [
    "AssessmentRun",
    "AssessmentScheme",
    "AssessmentScore",
    "Card",
    "CardRule",
    "CaseEventRecord",
    "Correction",
    "ExchangeSystem",
    "Light",
    "LightThreshold",
    "ManualScore",
    "Stage",
    "SupervisedCase",
    "Warning",
]
