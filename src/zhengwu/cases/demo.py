"""The demo city's cases (`seed_cases_demo`, run by `manage.py seed_demo` through settings.DEMO_SEEDERS).

Fourteen applications of the demo applicants (林示范 13800000001 and 示范市示范科技有限公司's agent
13800000002) at the city market-regulation bureau, so every demo staff account has something to do:
waiting at the window, a supplement notice out, in review (green, yellow and one overdue for the
supervisors), suspended for testing, accepted with a deferred material, decided, completed, delivered,
rejected, withdrawn — and one 开办餐饮店 bundle in progress.

Every case is driven through the real services (numbers, deadlines, timeline, documents, events,
notices are what a real run gives). Their history is dated in working days before the day of seeding,
so lights and "working days left" look alive whenever the demo is started.

DEMO ONLY — the clock: the services read `timezone.now()`. To date each action in the past the
seeder runs it under `demo_clock(at)`, which patches `django.utils.timezone.now` for the duration of
that one call. Nothing else in the code base does this; the seeder runs single-threaded before the
server starts. (Fields whose default is the function object itself — core.events' `occurred_at`,
for instance — keep the real time.)

Idempotent: each demo case carries the marker `[demo:<key>]` in its note; a key already present is
skipped, so running the seeder again creates nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhengwu.catalog.selectors.for_cases import effective_version
from zhengwu.catalog.selectors.public import public_bundles, public_items
from zhengwu.core.access.actor import Actor, actor_for
from zhengwu.core.calendar.days import add_workdays, is_workday

from .models import BundleCase, Case, CaseStep, StepStatus
from .services import acceptance, decision, delivery, intake, steps, suspension

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERSON = "13800000001"
AGENT = "13800000002"
CITY_MARKET_USCC = "114499000000000018"
MARKER = "[demo:{key}]"

ITEM_CODES = {
    "company": "114499000000000018000101001000000",  # 企业设立登记
    "individual": "114499000000000018000101002000000",  # 个体工商户登记 (即办)
    "change": "114499000000000018000101003000000",  # 企业变更登记
    "closing": "114499000000000018000101004000000",  # 企业注销登记
    "food": "114499000000000018000101005000000",  # 食品经营许可
    "drugs": "114499000000000018000101006000000",  # 药品经营许可（零售）
    "equipment": "114499000000000018000101007000000",  # 特种设备使用登记
    "billboard": "11449900000000007T000107003000000",  # 户外广告设施设置审批
}
BUNDLE_CODE = "kaiban-canyindian"  # 开办餐饮店


# --- DEMO ONLY: the clock ---------------------------------------------------------------------


@contextmanager
def demo_clock(at: dt.datetime) -> Iterator[None]:
    """DEMO ONLY: make `timezone.now()` return `at` while one service call runs (see the module doc)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


class DemoTime:
    """Working days counted back from the seeding day, in Asia/Shanghai."""

    def __init__(self, today: dt.date, region: str = "449900000000") -> None:
        self.today = today
        self.region = region

    def day(self, back: int) -> dt.date:
        """`back` working days before today (0: today, negative: working days ahead)."""
        if back <= 0:
            return add_workdays(self.today, -back, self.region) if back else self.today
        day, found = self.today, 0
        while found < back:
            day -= dt.timedelta(days=1)
            if is_workday(day, self.region):
                found += 1
        return day

    def at(self, back: int, hour: int, minute: int = 0) -> dt.datetime:
        d = self.day(back)
        return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=SHANGHAI)


# --- helpers ----------------------------------------------------------------------------------


def _actor(username: str) -> Actor:
    return actor_for(get_user_model().objects.get(username=username))


def _pdf(title: str) -> SimpleUploadedFile:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4)
    page.setTitle(title)
    page.drawString(72, 760, "Zhengwu demo material")
    page.showPage()
    page.save()
    return SimpleUploadedFile(f"{title}.pdf", buf.getvalue(), content_type="application/pdf")


def _form(version: Any, values: dict[str, Any], *, company: bool = False) -> dict[str, Any]:
    """A plausible value for every field the applicant fills (what the profile prefills is left to it)."""
    data: dict[str, Any] = {}
    prefilled = "company." if company else "person."
    for f in version.form_fields.all():
        if f.prefill and f.prefill.startswith(prefilled):
            continue
        if f.key in values:
            data[f.key] = values[f.key]
        elif f.field_type == "choice" and f.choices:
            data[f.key] = f.choices[0]
        elif f.field_type == "multi_choice" and f.choices:
            data[f.key] = [f.choices[0]]
        elif f.field_type == "number":
            data[f.key] = 100
        elif f.field_type == "boolean":
            data[f.key] = True
        elif f.field_type == "phone":
            data[f.key] = "13800000001"
        elif f.field_type in ("text", "textarea", "address") and f.required:
            data[f.key] = values.get("_text", "林示范")
    return data


@dataclass
class Seeder:
    time: DemoTime
    items: dict[str, int]

    def act(self, at: dt.datetime, fn: Callable[..., Any], **kwargs: Any) -> Any:
        with demo_clock(at):
            return fn(**kwargs)

    # applying

    def apply(
        self,
        key: str,
        who: str,
        item: str,
        at: dt.datetime,
        *,
        company: bool = False,
        values: dict[str, Any] | None = None,
        skip: tuple[str, ...] = (),
    ) -> Case | None:
        """Draft, upload every material (but the names in `skip`), submit; None if seeded before."""
        marker = MARKER.format(key=key)
        if Case.objects.filter(note__startswith=marker).exists():
            return None
        actor = _actor(who)
        item_id = self.items[item]
        version = effective_version(item_id)
        assert version is not None
        applicant = {"company_id": min(actor.company_ids)} if company and actor.company_ids else None
        draft = self.act(
            at - dt.timedelta(minutes=20),
            intake.case_draft_create,
            actor=actor,
            item_id=item_id,
            channel="online",
            applicant=applicant,
            form_data=_form(version, values or {}, company=company),
        )
        for material in draft.materials.all():
            if material.name in skip or (not material.required and material.name.startswith("委托书")):
                continue
            self.act(
                at - dt.timedelta(minutes=5),
                intake.case_material_upload,
                actor=actor,
                case_id=draft.pk,
                material_id=material.pk,
                upload=_pdf(material.name),
            )
        case = self.act(at, intake.case_submit, actor=actor, case_id=draft.pk)
        self.mark(case, key)
        return case

    def mark(self, case: Case, key: str, extra: str = "") -> None:
        """DEMO ONLY: tag the case so a second run skips it (shown to staff as 备注)."""
        note = f"{MARKER.format(key=key)} 演示数据{('：' + extra) if extra else ''}"
        Case.objects.filter(pk=case.pk).update(note=note)

    # handling

    def accept(self, case: Case, at: dt.datetime, **kwargs: Any) -> Case:
        return self.act(at, acceptance.case_accept, actor=_actor("clerk"), case_id=case.pk, **kwargs)  # type: ignore[no-any-return]

    def step(self, case: Case, at: dt.datetime, username: str, comment: str, opinion: str = "agree") -> None:
        active = CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).order_by("order").first()
        assert active is not None, f"{case.number} has no active step"
        self.act(
            at,
            steps.step_complete,
            actor=_actor(username),
            step_id=active.pk,
            opinion=opinion,
            comment=comment,
            reason="不符合食品安全标准规定的条件。" if opinion == "disagree" else "",
            legal_basis="《中华人民共和国食品安全法》第三十五条" if opinion == "disagree" else "",
        )

    def complete(self, case: Case, at: dt.datetime) -> None:
        self.act(at, decision.case_complete, actor=_actor("approver"), case_id=case.pk)

    def deliver(self, case: Case, at: dt.datetime, **kwargs: Any) -> None:
        self.act(at, delivery.case_deliver, actor=_actor("clerk"), case_id=case.pk, **kwargs)


def _item_ids() -> dict[str, int]:
    by_code = dict(
        public_items()
        .filter(implementation_code__in=ITEM_CODES.values())
        .values_list("implementation_code", "pk")
    )
    return {key: by_code[code] for key, code in ITEM_CODES.items() if code in by_code}


# --- the stories ------------------------------------------------------------------------------


def _single_cases(s: Seeder) -> None:
    t = s.time
    shop = {"company_name": "林记小厨", "legal_rep": "林示范", "_text": "林记小厨"}

    # 1. Waiting at the window (received yesterday), and a company's change waiting too.
    s.apply("waiting", PERSON, "food", t.at(1, 15, 10), values=shop)
    s.apply("waiting-company", AGENT, "change", t.at(1, 10, 30), company=True)

    # 2. A supplement notice is out: the articles of association were not signed.
    case = s.apply(
        "supplement", AGENT, "company", t.at(3, 9, 40), company=True, values={"proposed_name": "示范云"}
    )
    if case:
        articles = case.materials.get(name="公司章程")
        s.act(
            t.at(2, 11),
            acceptance.case_request_supplement,
            actor=_actor("clerk"),
            case_id=case.pk,
            items=[{"material_id": articles.pk, "reason": "公司章程未经全体股东签字，请补正后重新上传。"}],
            note="其余材料齐全。",
        )

    # 3. In review: green (accepted yesterday), yellow (due today), overdue (red, for supervision).
    case = s.apply("review-green", AGENT, "drugs", t.at(2, 14), company=True)
    if case:
        s.accept(case, t.at(1, 9, 30))
    case = s.apply("review-yellow", PERSON, "food", t.at(6, 10), values={**shop, "company_name": "林记甜品"})
    if case:
        s.accept(case, t.at(5, 10, 20))
    case = s.apply("overdue", AGENT, "food", t.at(16, 9, 20), company=True)
    if case:
        s.accept(case, t.at(15, 10))
        s.step(case, t.at(10, 16), "reviewer", "现场核查合格，材料齐全，建议准予许可。")

    # 4. Suspended for testing (特别程序, the clock stands still).
    case = s.apply("suspended", AGENT, "equipment", t.at(7, 11), company=True)
    if case:
        s.accept(case, t.at(6, 9, 45))
        s.act(
            t.at(4, 15),
            suspension.case_suspend,
            actor=_actor("reviewer"),
            case_id=case.pk,
            kind="testing",
            reason="压力容器需由特种设备检验机构进行定期检验，检验期间暂停计时。",
            expected_workdays=10,
        )

    # 5. Accepted with a deferred material (容缺受理): the premises proof follows within 3 days.
    case = s.apply(
        "deficiency",
        PERSON,
        "food",
        t.at(3, 10),
        values={**shop, "company_name": "林记面馆"},
        skip=("经营场所使用证明（房屋产权证明或租赁合同）",),
    )
    if case:
        premises = case.materials.get(name="经营场所使用证明（房屋产权证明或租赁合同）")
        s.act(
            t.at(2, 10, 30),
            acceptance.case_accept_with_deficiency,
            actor=_actor("clerk"),
            case_id=case.pk,
            deferred={premises.pk: t.day(-3)},
            commitment_signed=True,
        )

    # 6. Decided (granted), waiting to be completed; completed, waiting at the window.
    case = s.apply("decided", AGENT, "closing", t.at(5, 9, 10), company=True)
    if case:
        s.accept(case, t.at(4, 9, 50))
        s.step(case, t.at(3, 15), "reviewer", "清算报告齐全，同意注销。")
        s.step(case, t.at(2, 10), "approver", "准予注销登记。")
    case = s.apply("completed", PERSON, "individual", t.at(3, 14), values={"company_name": "林记小卖部"})
    if case:
        s.accept(case, t.at(3, 14, 40))  # 即办件: decided on acceptance
        s.complete(case, t.at(2, 9))

    # 7. Delivered: a licence granted last month, sent electronically; one denied and picked up.
    case = s.apply("delivered", PERSON, "food", t.at(25, 9, 30), values={**shop, "company_name": "林记茶饮"})
    if case:
        s.accept(case, t.at(24, 10))
        s.step(case, t.at(21, 15), "reviewer", "材料齐全，现场核查合格。")
        s.step(case, t.at(19, 11), "approver", "准予许可。")
        s.complete(case, t.at(19, 16))
        s.deliver(case, t.at(18, 10), method="electronic")
    case = s.apply("denied", AGENT, "food", t.at(30, 10), company=True)
    if case:
        s.accept(case, t.at(29, 9, 30))
        s.step(case, t.at(26, 16), "reviewer", "经营场所与食品加工区未分隔，不符合条件。", "disagree")
        s.step(case, t.at(24, 10), "approver", "不予许可。", "disagree")
        s.complete(case, t.at(24, 15))
        s.deliver(case, t.at(22, 10), method="window", delivered_to="黄经办")

    # 8. Rejected at the window (不予受理); withdrawn by the applicant.
    case = s.apply("rejected", PERSON, "drugs", t.at(12, 10), values={**shop, "company_name": "林记药房"})
    if case:
        s.act(
            t.at(11, 15),
            acceptance.case_reject,
            actor=_actor("clerk"),
            case_id=case.pk,
            reasons=["申请人不具备执业药师资格，且未配备依法经过资格认定的药学技术人员"],
            legal_basis="《药品经营许可证管理办法》第四条",
            remedy="如不服本决定，可自收到之日起六十日内申请行政复议，或六个月内提起行政诉讼。",
        )
    case = s.apply("withdrawn", PERSON, "equipment", t.at(9, 11), values={"company_name": "林记冷库"})
    if case:
        s.act(
            t.at(8, 16),
            intake.case_withdraw,
            actor=_actor(PERSON),
            case_id=case.pk,
            reason="设备尚未安装完毕，待安装后重新申请。",
        )
        s.mark(case, "withdrawn", "申请人撤回：" + Case.objects.get(pk=case.pk).note)


def _bundle(s: Seeder) -> None:
    """开办餐饮店 by 林示范: received three days ago; 个体工商户登记 decided at once (即办), 食品经营许可
    under review, 户外广告设施设置审批 waiting at the urban-management window."""
    marker = MARKER.format(key="bundle")
    if BundleCase.objects.filter(cases__note__startswith=marker).exists():
        return
    bundle = public_bundles().filter(code=BUNDLE_CODE).first()
    if bundle is None:
        return
    t = s.time
    actor = _actor(PERSON)
    wanted = [s.items[k] for k in ("individual", "food", "billboard") if k in s.items]
    values = {"company_name": "林记餐馆", "legal_rep": "林示范", "_text": "林记餐馆"}
    merged: dict[str, Any] = {}
    for item_id in wanted:
        version = effective_version(item_id)
        if version is not None:
            merged.update(_form(version, values))
    draft = s.act(
        t.at(3, 9, 30),
        intake.bundle_draft_create,
        actor=actor,
        bundle_id=bundle.pk,
        channel="online",
        form_data=merged,
        item_ids=wanted,
    )
    for case in draft.cases.order_by("pk"):
        for material in case.materials.all():
            # A bundle shares one upload between same-named materials: skip those already filled.
            if material.files.filter(removed=False).exists() or material.name.startswith("委托书"):
                continue
            s.act(
                t.at(3, 9, 50),
                intake.case_material_upload,
                actor=actor,
                case_id=case.pk,
                material_id=material.pk,
                upload=_pdf(material.name),
            )
    submitted = s.act(t.at(3, 10), intake.bundle_submit, actor=actor, bundle_case_id=draft.pk)
    for case in submitted.cases.order_by("pk"):
        if case.item_id == s.items.get("individual"):
            s.accept(case, t.at(3, 11))
        elif case.item_id == s.items.get("food"):
            s.accept(case, t.at(2, 9, 30))
        s.mark(Case.objects.get(pk=case.pk), "bundle", "开办餐饮店")


def seed_cases_demo(today: dt.date | None = None) -> dict[str, int]:
    """Seed the demo cases (idempotent). `today` is the day the history is counted back from."""
    items = _item_ids()
    if "food" not in items or not get_user_model().objects.filter(username=PERSON).exists():
        return {"cases_demo": 0}  # the demo city or its catalogue is not loaded
    seeder = Seeder(time=DemoTime(today or timezone.localdate()), items=items)
    before = Case.objects.filter(note__contains="[demo:").count()
    _single_cases(seeder)
    _bundle(seeder)
    after = Case.objects.filter(note__contains="[demo:").count()
    return {"cases_demo": after - before}
