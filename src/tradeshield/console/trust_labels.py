"""Message ids for the stored values of returns, integrity and rules, merged into
``labels.ENUM_LABELS`` (kept apart so neither file grows past a screenful or two)."""

from __future__ import annotations

import enum

from tradeshield.console.marking import N_
from tradeshield.integrity.kinds import ActionKind, ActionState, AppealState, RecomputeStage, Tier
from tradeshield.returns import kinds as returns
from tradeshield.rules.kinds import BuyerTier, Forgery, NextStep, PackKind, ReturnCheck, Settlement

TRUST_LABELS: dict[type[enum.StrEnum], dict[str, str]] = {
    returns.UnitStage: {
        returns.UnitStage.SHIPPED: N_("Shipped"),
        returns.UnitStage.RETURNED: N_("Returned"),
    },
    returns.SerialFormat: {
        returns.SerialFormat.IMEI: N_("IMEI"),
        returns.SerialFormat.SERIAL: N_("Serial number"),
        returns.SerialFormat.NONE: N_("None"),
    },
    returns.PhotoAngle: {
        returns.PhotoAngle.FRONT: N_("Front"),
        returns.PhotoAngle.BACK: N_("Back"),
        returns.PhotoAngle.LEFT: N_("Left side"),
        returns.PhotoAngle.RIGHT: N_("Right side"),
        returns.PhotoAngle.TOP: N_("Top"),
        returns.PhotoAngle.LABEL: N_("Label"),
        returns.PhotoAngle.SEAL: N_("Seal"),
        returns.PhotoAngle.CONTENTS: N_("Box contents"),
    },
    returns.CheckOutcome: {
        returns.CheckOutcome.PASS: N_("Passed"),
        returns.CheckOutcome.FAIL: N_("Failed"),
        returns.CheckOutcome.UNKNOWN: N_("Not checked: evidence missing"),
    },
    returns.VerificationResult: {
        returns.VerificationResult.MATCH: N_("Matches"),
        returns.VerificationResult.MISMATCH: N_("Not the unit shipped"),
        returns.VerificationResult.PARTIAL: N_("Parts missing"),
        returns.VerificationResult.DAMAGED: N_("Damaged"),
    },
    returns.LiableParty: {
        returns.LiableParty.BUYER: N_("Buyer"),
        returns.LiableParty.COURIER: N_("Courier"),
        returns.LiableParty.MERCHANT: N_("Merchant"),
        returns.LiableParty.NONE: N_("Nobody"),
        returns.LiableParty.UNDETERMINED: N_("Undetermined"),
    },
    returns.ClaimStatus: {
        returns.ClaimStatus.OPEN: N_("Open"),
        returns.ClaimStatus.SENT: N_("Sent"),
        returns.ClaimStatus.SETTLED: N_("Settled"),
        returns.ClaimStatus.REJECTED: N_("Rejected"),
    },
    returns.PolicyDecision: {
        returns.PolicyDecision.ALLOWED: N_("Allowed"),
        returns.PolicyDecision.LIMITED: N_("Limited"),
        returns.PolicyDecision.BLOCKED: N_("Blocked"),
    },
    returns.RestrictionLevel: {
        returns.RestrictionLevel.LIMITED: N_("Limited"),
        returns.RestrictionLevel.BLOCKED: N_("Blocked"),
    },
    returns.AppealSubject: {
        returns.AppealSubject.RESTRICTION: N_("Purchase restriction"),
        returns.AppealSubject.CONSORTIUM_ENTRY: N_("Shared-list entry"),
    },
    returns.AppealStatus: {
        returns.AppealStatus.OPEN: N_("Open"),
        returns.AppealStatus.UPHELD: N_("Upheld"),
        returns.AppealStatus.REJECTED: N_("Rejected"),
    },
    returns.ChainRecordType: {
        returns.ChainRecordType.UNIT_EVIDENCE: N_("Unit evidence"),
        returns.ChainRecordType.VERIFICATION: N_("Return check"),
    },
    Tier: {
        Tier.NORMAL: N_("Normal service"),
        Tier.MORE_EVIDENCE: N_("More evidence"),
        Tier.MANUAL_REVIEW: N_("Manual review"),
        Tier.PURCHASE_LIMIT: N_("Purchase limits"),
        Tier.NO_REFUND_ONLY: N_("No refund-only"),
    },
    ActionKind: {
        ActionKind.REQUIRE_UNBOXING_VIDEO: N_("Ask for an unboxing video"),
        ActionKind.MANUAL_REVIEW: N_("Manual review of claims"),
        ActionKind.PURCHASE_LIMIT: N_("Purchase limits"),
        ActionKind.NO_REFUND_ONLY: N_("No refund-only"),
    },
    ActionState: {
        ActionState.ACTIVE: N_("Active"),
        ActionState.LIFTED: N_("Lifted"),
    },
    AppealState: {
        AppealState.OPEN: N_("Open"),
        AppealState.UPHELD: N_("Upheld"),
        AppealState.REJECTED: N_("Rejected"),
    },
    RecomputeStage: {
        RecomputeStage.LOAD: N_("Loading accounts"),
        RecomputeStage.FEATURES: N_("Computing features"),
        RecomputeStage.RINGS: N_("Finding rings"),
        RecomputeStage.SCORES: N_("Scoring"),
        RecomputeStage.STORE: N_("Storing"),
    },
    PackKind: {
        PackKind.INDUSTRY: N_("Industry"),
        PackKind.SCENARIO: N_("Scenario"),
    },
    Forgery: {
        Forgery.NONE: N_("No forensic report yet"),
        Forgery.CLEAN: N_("Nothing found"),
        Forgery.SUSPICIOUS: N_("Suspicious"),
        Forgery.CONFIRMED: N_("Forgery proven"),
    },
    ReturnCheck: {
        ReturnCheck.MATCH: N_("Matches"),
        ReturnCheck.MISMATCH: N_("Not the unit shipped"),
        ReturnCheck.PARTIAL: N_("Parts missing"),
        ReturnCheck.DAMAGED: N_("Damaged by the buyer"),
        ReturnCheck.COURIER_DAMAGE: N_("Damaged by the courier"),
        ReturnCheck.INCONCLUSIVE: N_("Inconclusive"),
    },
    BuyerTier: {
        BuyerTier.NORMAL: N_("Normal service"),
        BuyerTier.MORE_EVIDENCE: N_("More evidence"),
        BuyerTier.MANUAL_REVIEW: N_("Manual review"),
        BuyerTier.PURCHASE_LIMIT: N_("Purchase limits"),
        BuyerTier.NO_REFUND_ONLY: N_("No refund-only"),
    },
    Settlement: {
        Settlement.MERCHANT_ACCEPTED: N_("Merchant accepted"),
        Settlement.MERCHANT_NO_ANSWER: N_("Merchant did not answer in time"),
        Settlement.BUYER_ACCEPTED_OFFER: N_("Buyer accepted the offer"),
        Settlement.MERCHANT_CONFIRMED_RETURN: N_("Merchant confirmed the return"),
        Settlement.MERCHANT_NO_INSPECTION: N_("Merchant did not inspect the return in time"),
    },
    NextStep: {
        NextStep.REFUND_NOW: N_("Refund now"),
        NextStep.BUYER_RETURNS_GOODS: N_("Buyer returns the goods"),
        NextStep.MERCHANT_SHIPS_REPLACEMENT: N_("Merchant ships a replacement"),
        NextStep.MERCHANT_ARRANGES_REPAIR: N_("Merchant arranges a repair"),
        NextStep.MERCHANT_RESCHEDULES_INSTALLATION: N_("Merchant reschedules the installation"),
        NextStep.BUYER_UPLOADS_EVIDENCE: N_("Buyer uploads more evidence"),
        NextStep.MERCHANT_UPLOADS_EVIDENCE: N_("Merchant uploads more evidence"),
        NextStep.AWAIT_FORENSIC_ANALYSIS: N_("Wait for the forensic analysis"),
        NextStep.COURIER_CLAIM: N_("Claim against the courier"),
        NextStep.PLATFORM_REVIEW: N_("Platform review"),
        NextStep.CLOSE_CASE: N_("Close the case"),
    },
}
