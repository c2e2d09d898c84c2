"""Adjudication: precedence, fair bounds on forensic findings, amounts, replayability."""

from __future__ import annotations

import datetime as dt

from tradeshield.cases.kinds import CaseKind, LiableParty, Outcome, ReasonCode
from tradeshield.catalog.industries import Industry
from tradeshield.rules.adjudication import adjudicate, adjudicate_many
from tradeshield.rules.facts import CaseFacts
from tradeshield.rules.forensic_facts import forgery_facts
from tradeshield.rules.kinds import Forgery, ReturnCheck
from tradeshield.rules.library import default_library

DELIVERED = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)


def _facts(**fields: object) -> CaseFacts:
    return CaseFacts.model_validate(fields)


def test_spoiled_share_of_fresh_food_is_refunded_pro_rata_with_clause_and_both_languages() -> None:
    facts = _facts(
        industry="fresh_food", reason="spoiled_or_expired", claimed_amount_minor=8000,
        order_amount_minor=8000, affected_share=0.25, claimed_at=DELIVERED + dt.timedelta(hours=6),
    )  # fmt: skip
    ruling = adjudicate(default_library(), facts)
    assert ruling.outcome is Outcome.PARTIAL_REFUND
    assert ruling.amount_minor == 2000
    assert ruling.liable_party is LiableParty.MERCHANT
    assert ruling.clause_ids == ["fresh_food.3"]
    assert ruling.decided_by_pack == "fresh_food@2026.1"
    assert "20.00" in ruling.reasons[0]["en"]
    assert "20.00" in ruling.reasons[0]["zh"]
    assert ruling.next_steps[0]["code"] == "step.refund_now"
    assert ruling.next_steps[0]["deadline_hours"] == 24


def test_confirmed_forgery_overrides_the_industry_pack_and_is_recorded() -> None:
    facts = _facts(industry="fresh_food", reason="spoiled_or_expired", affected_share=1.0,
                   forgery=Forgery.CONFIRMED)  # fmt: skip
    ruling = adjudicate(default_library(), facts)
    assert (ruling.outcome, ruling.liable_party) == (Outcome.REJECT, LiableParty.BUYER)
    assert ruling.record_against_account
    assert ruling.clause_ids == ["forged_evidence.1"]


def test_suspicious_score_never_denies_it_asks_for_evidence() -> None:
    for score in (0.51, 0.8, 0.99):
        facts = _facts(industry="electronics", forgery=Forgery.SUSPICIOUS, forgery_score=score)
        ruling = adjudicate(default_library(), facts)
        assert ruling.outcome is Outcome.ESCALATE
        assert not ruling.record_against_account
        assert ruling.next_steps[0]["code"] == "step.buyer_uploads_evidence"


def test_clean_forensic_report_leaves_the_claim_to_the_other_packs() -> None:
    facts = _facts(industry="electronics", forgery=Forgery.CLEAN, merchant_reported_forgery=True)
    ruling = adjudicate(default_library(), facts)
    assert ruling.decided_by_pack == "electronics@2026.1"
    assert "forged_evidence" in ruling.versions


def test_return_mismatch_comes_before_the_industry_pack() -> None:
    facts = _facts(industry="electronics", kind=CaseKind.RETURN_AND_REFUND,
                   return_verification=ReturnCheck.MISMATCH)  # fmt: skip
    ruling = adjudicate(default_library(), facts)
    assert ruling.clause_ids == ["return_mismatch.1"]
    assert ruling.outcome is Outcome.REJECT


def test_industry_pack_comes_before_the_generic_scenario() -> None:
    facts = _facts(industry="live_pets", reason=ReasonCode.NO_REASON_7_DAYS)
    ruling = adjudicate(default_library(), facts)
    assert ruling.clause_ids == ["live_pets.1"]
    assert ruling.versions.keys() == {"live_pets"}  # the generic no-reason pack was not asked


def test_generic_scenario_decides_when_the_industry_pack_is_silent() -> None:
    facts = _facts(
        industry="electronics",
        reason=ReasonCode.NOT_RECEIVED,
        delivered_at=None,
        promised_delivery_at=DELIVERED,
        claimed_at=DELIVERED + dt.timedelta(days=5),
    )
    ruling = adjudicate(default_library(), facts)
    assert ruling.clause_ids == ["lost_parcel.2"]
    assert ruling.liable_party is LiableParty.COURIER
    assert ruling.amount_minor == facts.claimed_amount_minor


def test_facts_no_rule_covers_escalate_with_the_reason_and_no_clause() -> None:
    # Transit damage claimed on a parcel that was never delivered: the electronics pack has no
    # row for transit damage and the damage pack's rows all start from the delivery time.
    facts = _facts(industry="electronics", reason=ReasonCode.DAMAGED_IN_TRANSIT,
                   kind=CaseKind.RETURN_AND_REFUND, delivered_at=None)  # fmt: skip
    ruling = adjudicate(default_library(), facts)
    assert ruling.outcome is Outcome.ESCALATE
    assert ruling.clause_ids == []
    assert ruling.reasons[0]["code"] == "no_rule_matched"
    assert "damaged_in_transit@2026.1" in ruling.reasons[0]["en"]
    assert ruling.reasons[0]["zh"]
    assert set(ruling.versions) == {"electronics", "damaged_in_transit"}


def test_batch_gives_the_same_rulings_as_one_by_one() -> None:
    library = default_library()
    facts = [
        _facts(industry=industry, reason=reason, affected_share=share)
        for industry in (Industry.FRESH_FOOD, Industry.APPAREL, Industry.E_BIKES, Industry.DAIGOU)
        for reason in ReasonCode
        for share in (None, 0.5)
    ]
    assert [r.as_dict() for r in adjudicate_many(library, facts)] == [
        adjudicate(library, f).as_dict() for f in facts
    ]


def test_stored_inputs_and_versions_replay_to_the_same_ruling() -> None:
    library = default_library()
    first = adjudicate(
        library,
        _facts(
            industry="fresh_food",
            reason="quality_issue",
            affected_share=0.5,
            claimed_at=DELIVERED + dt.timedelta(hours=36),
        ),
    )
    again = adjudicate(library, CaseFacts.model_validate(first.inputs), first.versions)
    assert again.as_dict() == first.as_dict()


def test_a_pinned_draft_version_changes_the_ruling() -> None:
    library = default_library()
    facts = _facts(industry="fresh_food", reason="quality_issue", affected_share=0.5,
                   claimed_at=DELIVERED + dt.timedelta(hours=36))  # fmt: skip
    assert adjudicate(library, facts).outcome is Outcome.REJECT
    draft = adjudicate(library, facts, {"fresh_food": "2027.1"})
    assert draft.outcome is Outcome.PARTIAL_REFUND
    assert draft.versions["fresh_food"] == "2027.1"


class _Report:
    def __init__(self, verdict: str, score: float, strengths: list[str]) -> None:
        self.verdict = verdict
        self.score = score
        self.findings = [{"strength": s} for s in strengths]


def test_only_proof_confirms_a_forgery() -> None:
    assert forgery_facts([])["forgery"] == "none"
    assert forgery_facts([_Report("no_evidence", 0.1, ["info"])])["forgery"] == "clean"
    assert forgery_facts([_Report("suspicious", 0.9, ["strong"])])["forgery"] == "suspicious"
    assert forgery_facts([_Report("forged", 0.95, ["strong"])])["forgery"] == "suspicious"
    proven = forgery_facts([_Report("no_evidence", 0.1, []), _Report("forged", 0.99, ["proof"])])
    assert proven == {"forgery": "confirmed", "forgery_score": 0.99}
