"""Pydantic models of the record kinds (what a contributor types, never what is derived)."""

from generator.schema.country import Country
from generator.schema.decision import Decision
from generator.schema.issuance import Issuance
from generator.schema.methodology import Methodology
from generator.schema.monitoring import MonitoringReport
from generator.schema.project import Project
from generator.schema.reference import (
    FinancingProgrammes,
    Mechanisms,
    RuleDocuments,
    SectoralScopes,
)
from generator.schema.tpe import Tpe

RECORD_MODELS = {
    "country": Country,
    "decision": Decision,
    "methodology": Methodology,
    "tpe": Tpe,
    "project": Project,
    "monitoring": MonitoringReport,
    "issuance": Issuance,
    "rule-documents": RuleDocuments,
    "mechanisms": Mechanisms,
    "sectoral-scopes": SectoralScopes,
    "financing-programmes": FinancingProgrammes,
}

__all__ = [
    "RECORD_MODELS",
    "Country",
    "Decision",
    "Issuance",
    "Methodology",
    "MonitoringReport",
    "Project",
    "Tpe",
]
