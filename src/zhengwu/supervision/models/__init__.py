from .config import CardRule, LightThreshold
from .exchange import ExchangeSystem
from .oversight import Card, Correction
from .records import CaseEventRecord, Light, Stage, SupervisedCase, Warning

__all__ = [
    "Card",
    "CardRule",
    "CaseEventRecord",
    "Correction",
    "ExchangeSystem",
    "Light",
    "LightThreshold",
    "Stage",
    "SupervisedCase",
    "Warning",
]
