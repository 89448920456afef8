"""Wiping the care records of a demo county (``demo.care.care_wipe``).

Rows are deleted as whole sets (``QuerySet._raw_delete``), children before
parents: ``QuerySet.delete()`` would load every row first, which at a
million workers means hundreds of thousands of aid applications and their
steps. Many-to-many links and stored files are removed with their rows.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Q

from gonghui.accounts.models import User
from gonghui.activities.models import Activity, ActivityPhoto, SignUp
from gonghui.aid.models import (
    AidApplication,
    AidStep,
    Campaign,
    Consent,
    Evidence,
    Fund,
    FundEntry,
    Payment,
    Programme,
    StaffPerson,
)
from gonghui.competitions import models as competitions
from gonghui.congress.models import (
    Attendance,
    CongressSession,
    Delegate,
    Disclosure,
    Proposal,
    Resolution,
)
from gonghui.contracts.models import CollectiveContract, ContractEmployer
from gonghui.core.scope import subtree_q
from gonghui.counselling.models import Booking, CounsellingSlot, SessionNote
from gonghui.employment.models import JobApplication, JobApplicationStep, JobFair, JobPosting
from gonghui.honours import models as honours
from gonghui.needy.models import (
    FileCause,
    FileStep,
    HomeVisit,
    HouseholdMember,
    NeedyFile,
    Objection,
    ReviewRecord,
    Threshold,
)
from gonghui.offers.models import Claim, Offer
from gonghui.orgs.models import Employer, Organisation
from gonghui.outreach.models import Delivery, DeliveryLine, Visit, Wish, WishStep
from gonghui.outreach.services import photo_path
from gonghui.people.models import Person
from gonghui.rights.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseNote,
    CaseWorker,
    QualityCheck,
)
from gonghui.skills.models import SkillRecord
from gonghui.stations.models import Station, StationVisit
from gonghui.studios.models import (
    Achievement,
    AchievementPhoto,
    MentoringPair,
    Studio,
    StudioMember,
)
from gonghui.study.models import Article, ArticleImage, Reading

from . import vocabulary as words
from .care_library import library_querysets


def _querysets(root: Organisation, whole: bool) -> list:
    """The care rows of the county, children before parents."""
    if whole:
        return [
            Evidence.objects.all(),
            Payment.objects.all(),
            FundEntry.objects.all(),
            AidStep.objects.all(),
            AidApplication.objects.all(),
            Consent.objects.all(),
            StaffPerson.objects.all(),
            Fund.objects.all(),
            Campaign.objects.all(),
            FileCause.objects.all(),
            HouseholdMember.objects.all(),
            FileStep.objects.all(),
            HomeVisit.objects.all(),
            Objection.objects.all(),
            ReviewRecord.objects.all(),
            NeedyFile.objects.all(),
            Threshold.objects.all(),
            DeliveryLine.objects.all(),
            Delivery.objects.all(),
            Visit.visitors.through.objects.all(),
            Visit.objects.all(),
            WishStep.objects.all(),
            Wish.objects.all(),
            JobApplicationStep.objects.all(),
            JobApplication.objects.all(),
            JobFair.employers.through.objects.all(),
            JobFair.objects.all(),
            JobPosting.objects.all(),
            SessionNote.objects.all(),
            Booking.objects.all(),
            CounsellingSlot.objects.all(),
            ContractEmployer.objects.all(),
            CollectiveContract.objects.all(),
            *(model.objects.all() for model in _CONGRESS),
            *(model.objects.all() for model in _RIGHTS_CHILDREN),
            Case.objects.all(),
            SkillRecord.objects.all(),
            Reading.objects.all(),
            ArticleImage.objects.all(),
            Article.objects.all(),
            MentoringPair.objects.all(),
            AchievementPhoto.objects.all(),
            Achievement.credited.through.objects.all(),
            Achievement.objects.all(),
            StudioMember.objects.all(),
            Studio.objects.all(),
            *_honours_querysets(None, None, None),
            *_competition_querysets(None, None),
            *library_querysets(None, None),
            SignUp.objects.all(),
            ActivityPhoto.objects.all(),
            Activity.objects.all(),
            StationVisit.objects.all(),
            Station.objects.all(),
            Claim.objects.all(),
            Offer.objects.all(),
        ]
    path = root.path
    people = Person.objects.in_subtree(root).values("pk")
    users = User.objects.filter(subtree_q(path, "organisation")).values("pk")
    employers = Employer.objects.filter(
        subtree_q(path, "township") | subtree_q(path, "union")
    ).values("pk")
    campaigns = Campaign.objects.filter(subtree_q(path, "organisation"))
    funds = Fund.objects.filter(subtree_q(path, "organisation") | Q(campaign__in=campaigns))
    applications = AidApplication.objects.filter(
        subtree_q(path, "organisation")
        | Q(campaign__in=campaigns)
        | Q(fund__in=funds)
        | Q(person__in=people)
    )
    files = NeedyFile.objects.filter(subtree_q(path, "organisation") | Q(person__in=people))
    deliveries = Delivery.objects.filter(
        subtree_q(path, "organisation") | Q(employer__in=employers)
    )
    visits = Visit.objects.filter(subtree_q(path, "organisation") | Q(person__in=people))
    wishes = Wish.objects.filter(
        subtree_q(path, "organisation") | Q(person__in=people) | Q(donor_employer__in=employers)
    )
    postings = JobPosting.objects.filter(employer__in=employers)
    job_applications = JobApplication.objects.filter(Q(posting__in=postings) | Q(person__in=people))
    fairs = JobFair.objects.filter(subtree_q(path, "organiser"))
    slots = CounsellingSlot.objects.filter(
        subtree_q(path, "organisation") | Q(counsellor__in=users)
    )
    bookings = Booking.objects.filter(Q(slot__in=slots) | Q(person__in=people))
    contracts = CollectiveContract.objects.filter(
        subtree_q(path, "owner") | Q(employer__in=employers)
    )
    cases = Case.objects.filter(
        subtree_q(path, "organisation")
        | Q(employer__in=employers)
        | Q(case_workers__person__in=people)
        | Q(handler__in=users)
    )
    return [
        Evidence.objects.filter(application__in=applications),
        Payment.objects.filter(Q(application__in=applications) | Q(fund__in=funds)),
        FundEntry.objects.filter(Q(application__in=applications) | Q(fund__in=funds)),
        AidStep.objects.filter(application__in=applications),
        applications,
        Consent.objects.filter(person__in=people),
        StaffPerson.objects.filter(Q(user__in=users) | Q(person__in=people)),
        funds,
        campaigns,
        *(model.objects.filter(file__in=files) for model in _FILE_CHILDREN),
        files,
        Threshold.objects.filter(subtree_q(path, "organisation")),
        DeliveryLine.objects.filter(delivery__in=deliveries),
        deliveries,
        Visit.visitors.through.objects.filter(Q(visit__in=visits) | Q(user__in=users)),
        visits,
        WishStep.objects.filter(wish__in=wishes),
        wishes,
        JobApplicationStep.objects.filter(application__in=job_applications),
        job_applications,
        JobFair.employers.through.objects.filter(Q(jobfair__in=fairs) | Q(employer__in=employers)),
        fairs,
        postings,
        SessionNote.objects.filter(booking__in=bookings),
        bookings,
        slots,
        ContractEmployer.objects.filter(Q(contract__in=contracts) | Q(employer__in=employers)),
        contracts,
        Attendance.objects.filter(session__employer__in=employers),
        Proposal.objects.filter(session__employer__in=employers),
        Resolution.objects.filter(session__employer__in=employers),
        CongressSession.objects.filter(employer__in=employers),
        Delegate.objects.filter(employer__in=employers),
        Disclosure.objects.filter(employer__in=employers),
        *(model.objects.filter(case__in=cases) for model in _RIGHTS_CHILDREN),
        cases,
        SkillRecord.objects.filter(person__in=people),
        Reading.objects.filter(
            Q(person__in=people)
            | subtree_q(path, "union")
            | subtree_q(path, "article__organisation")
        ),
        ArticleImage.objects.filter(subtree_q(path, "article__organisation")),
        Article.objects.filter(subtree_q(path, "organisation")),
        *_studio_querysets(employers, people),
        *_honours_querysets(path, people, employers),
        *_competition_querysets(path, people),
        *library_querysets(path, people),
        SignUp.objects.filter(Q(person__in=people) | subtree_q(path, "activity__organiser")),
        ActivityPhoto.objects.filter(subtree_q(path, "activity__organiser")),
        Activity.objects.filter(subtree_q(path, "organiser")),
        Claim.objects.filter(Q(person__in=people) | subtree_q(path, "offer__union")),
        Offer.objects.filter(subtree_q(path, "union")),
        StationVisit.objects.filter(
            subtree_q(path, "station__organisation") | subtree_q(path, "station__township")
        ),
        Station.objects.filter(subtree_q(path, "organisation") | subtree_q(path, "township")),
    ]


def _studio_querysets(employers, people) -> list:
    """Studios at the county's employers and everything hanging on them, and mentoring
    pairs of its people, children before parents."""
    studios = Studio.objects.filter(Q(employer__in=employers) | Q(leader__in=people))
    achievements = Achievement.objects.filter(studio__in=studios)
    return [
        MentoringPair.objects.filter(
            Q(studio__in=studios) | Q(mentor__in=people) | Q(apprentice__in=people)
        ),
        AchievementPhoto.objects.filter(achievement__in=achievements),
        Achievement.credited.through.objects.filter(
            Q(achievement__in=achievements) | Q(person__in=people)
        ),
        achievements,
        StudioMember.objects.filter(Q(studio__in=studios) | Q(person__in=people)),
        studios,
    ]


def _competition_querysets(path, people) -> list:
    """Competitions organised in the county and everything hanging on them, and the
    entries of its people elsewhere, children before parents (a certificate's file
    goes with its row: ``wipe``)."""
    if path is None:
        held = competitions.Competition.objects.all()
        entries = competitions.Entry.objects.all()
    else:
        held = competitions.Competition.objects.filter(subtree_q(path, "organiser"))
        entries = competitions.Entry.objects.filter(Q(competition__in=held) | Q(person__in=people))
    return [
        competitions.Certificate.objects.filter(entry__in=entries),
        competitions.ResultChange.objects.filter(entry__in=entries),
        competitions.Score.objects.filter(
            Q(entry__in=entries)
            | Q(event__in=competitions.Event.objects.filter(competition__in=held))
        ),
        entries,
        competitions.JudgeAssignment.objects.filter(competition__in=held),
        competitions.Event.objects.filter(competition__in=held),
        held,
    ]


def _honours_querysets(path, people, employers) -> list:
    """Titles held by the county's people and employers, nominations by its unions or of
    its people, care, stories and activities, children before parents; every row of
    them (and the care rules, which belong to titles) when ``path`` is None."""
    if path is None:
        nominations = honours.Nomination.objects.all()
        return [
            honours.NominationStep.objects.all(),
            honours.NominationEvidence.objects.all(),
            honours.NominationObjection.objects.all(),
            honours.TitleHolding.objects.all(),
            nominations,
            honours.CareGiven.objects.all(),
            honours.CareRule.objects.all(),
            honours.HolderCondition.objects.all(),
            honours.Story.objects.all(),
            honours.Activity.people.through.objects.all(),
            honours.Activity.objects.all(),
        ]
    nominations = honours.Nomination.objects.filter(
        subtree_q(path, "organisation") | Q(person__in=people) | Q(employer__in=employers)
    )
    activities = honours.Activity.objects.filter(subtree_q(path, "organisation"))
    return [
        honours.NominationStep.objects.filter(nomination__in=nominations),
        honours.NominationEvidence.objects.filter(nomination__in=nominations),
        honours.NominationObjection.objects.filter(nomination__in=nominations),
        honours.TitleHolding.objects.filter(
            Q(person__in=people) | Q(employer__in=employers) | Q(nomination__in=nominations)
        ),
        nominations,
        honours.CareGiven.objects.filter(person__in=people),
        honours.HolderCondition.objects.filter(person__in=people),
        honours.Story.objects.filter(person__in=people),
        honours.Activity.people.through.objects.filter(
            Q(activity__in=activities) | Q(person__in=people)
        ),
        activities,
    ]


#: The congress tables, children before parents.
_CONGRESS = (Attendance, Proposal, Resolution, CongressSession, Delegate, Disclosure)
#: The rights-case tables that hang on a case, children before the case.
_RIGHTS_CHILDREN = (QualityCheck, CaseAttachment, CaseNote, CaseEvent, CaseWorker)
_FILE_CHILDREN = (FileCause, HouseholdMember, FileStep, HomeVisit, Objection, ReviewRecord)


def wipe(root: Organisation, *, whole: bool) -> None:
    querysets = _querysets(root, whole)
    # Stored files first, while their rows still say where they are.
    evidence, wishes = querysets[0], next(q for q in querysets if q.model is Wish)
    for name in evidence.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    for wish in wishes.exclude(photo="").only("photo"):
        stored = photo_path(wish)
        if stored is not None:
            stored.unlink(missing_ok=True)
    contracts = next(q for q in querysets if q.model is CollectiveContract)
    for name in contracts.exclude(text="").values_list("text", flat=True):
        default_storage.delete(name)
    attachments = next(q for q in querysets if q.model is CaseAttachment)
    for name in attachments.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    images = next(q for q in querysets if q.model is ArticleImage)
    for name in images.exclude(image="").values_list("image", flat=True):
        default_storage.delete(name)
    photos = next(q for q in querysets if q.model is AchievementPhoto)
    for name in photos.exclude(image="").values_list("image", flat=True):
        default_storage.delete(name)
    activity_photos = next(q for q in querysets if q.model is ActivityPhoto)
    for name in activity_photos.exclude(image="").values_list("image", flat=True):
        default_storage.delete(name)
    stations = next(q for q in querysets if q.model is Station)
    for name in stations.exclude(photo="").values_list("photo", flat=True):
        default_storage.delete(name)
    for model, field in ((honours.NominationEvidence, "file"), (honours.Story, "photo")):
        stored = next(q for q in querysets if q.model is model)
        for name in stored.exclude(**{field: ""}).values_list(field, flat=True):
            default_storage.delete(name)
    certificates = next(q for q in querysets if q.model is competitions.Certificate)
    for name in certificates.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    for queryset in querysets:
        queryset._raw_delete(queryset.db)
    # The standard programmes go once no campaign or application uses them.
    Programme.objects.filter(name__in=[row[0] for row in words.AID_PROGRAMMES]).exclude(
        Exists(Campaign.objects.filter(programme=OuterRef("pk")))
    ).exclude(Exists(AidApplication.objects.filter(programme=OuterRef("pk")))).delete()
