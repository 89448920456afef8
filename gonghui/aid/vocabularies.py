"""Vocabularies of the aid app: programme kinds, application states, ledger movements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    ASSISTANCE = "assistance", _("Hardship assistance")  # 帮扶救助
    EDUCATION = "education", _("Autumn education grant")  # 金秋助学
    ILLNESS = "illness", _("Critical-illness relief")  # 大病救助
    WINTER = "winter", _("Winter warmth")  # 冬送温暖
    SUMMER = "summer", _("Summer cooling")  # 夏送清凉
    SPRING_JOBS = "spring_jobs", _("Spring jobs")  # 春送岗位
    CUSTOM = "custom", _("Other programme")


class Fact(models.TextChoices):
    """Facts an application may have to carry; a programme lists the ones it requires."""

    CHILD_NAME = "child_name", _("child's name")
    SCHOOL = "school", _("school")
    ADMISSION_YEAR = "admission_year", _("admission year")
    DIAGNOSIS_CATEGORY = "diagnosis_category", _("diagnosis category")
    TOTAL_COST = "total_cost", _("total medical cost")
    INSURANCE_REIMBURSEMENT = "insurance_reimbursement", _("insurance reimbursement")
    PER_CAPITA_INCOME = "per_capita_income", _("household monthly income per person")
    BANK_ACCOUNT = "bank_account", _("bank account")


#: Facts about health or income: collected only after the worker's separate
#: consent (PIPL 第二十九条: sensitive personal information needs separate consent).
HEALTH_FACTS = (Fact.DIAGNOSIS_CATEGORY, Fact.TOTAL_COST, Fact.INSURANCE_REIMBURSEMENT)
INCOME_FACTS = (Fact.PER_CAPITA_INCOME,)

#: What each kind of programme asks by default (a programme may add more).
DEFAULT_FACTS = {
    ProgrammeKind.EDUCATION: [Fact.CHILD_NAME, Fact.SCHOOL, Fact.ADMISSION_YEAR],
    ProgrammeKind.ILLNESS: [
        Fact.DIAGNOSIS_CATEGORY,
        Fact.TOTAL_COST,
        Fact.INSURANCE_REIMBURSEMENT,
    ],
}


class DiagnosisCategory(models.TextChoices):
    CANCER = "cancer", _("Malignant tumour")
    ORGAN = "organ", _("Organ failure or transplant")
    CARDIO = "cardio", _("Heart or brain blood vessel disease")
    KIDNEY = "kidney", _("Kidney failure (dialysis)")
    INJURY = "injury", _("Severe injury")
    OTHER = "other", _("Other critical illness")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")


class AidStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In approval")
    RETURNED = "returned", _("Returned for more information")
    APPROVED = "approved", _("Approved, awaiting payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: States that hold one of the person's grants of the programme in the year.
ACTIVE_STATES = (AidStatus.SUBMITTED, AidStatus.RETURNED, AidStatus.APPROVED, AidStatus.PAID)
#: States in which the aid was granted.
GRANTED_STATES = (AidStatus.APPROVED, AidStatus.PAID)


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    #: Moved on past a level where no one but the excluded may decide (aid.duties).
    PASS_UP = "pass_up", _("Passed up: no one else at this level may decide")
    APPROVE = "approve", _("Approved at this level")
    FIRST_APPROVAL = "first_approval", _("First of two county approvals")
    FINAL_APPROVAL = "final_approval", _("Finally approved")
    RETURN = "return", _("Returned for more information")
    REJECT = "reject", _("Rejected")
    CANCEL = "cancel", _("Cancelled")
    PAY = "pay", _("Paid")


class EntryKind(models.TextChoices):
    RESERVE = "reserve", _("Reserved")
    RELEASE = "release", _("Released")
    SPEND = "spend", _("Spent")


class ConsentKind(models.TextChoices):
    HEALTH = "health", _("Health information")
    INCOME = "income", _("Income information")


class EvidenceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical record or diagnosis")
    INVOICE = "invoice", _("Invoice or receipt")
    INCOME = "income", _("Proof of income")
    ENROLMENT = "enrolment", _("Admission or enrolment notice")
    OTHER = "other", _("Other document")
