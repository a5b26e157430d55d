"""Volunteering: tasks and their shifts, sign-ups with fair waitlists, hours and certificates.

Split by topic: ``tasks`` (what needs doing), ``shifts`` (when, how many places), ``signups``
(who signed up or waits), ``people`` (the volunteer's profile and certificates).
"""
from .people import AvailabilitySlot, Certificate, VolunteerProfile
from .shifts import Shift
from .signups import SignUp
from .tasks import BriefingLink, BriefingRead, Skill, Task

__all__ = ["AvailabilitySlot", "BriefingLink", "BriefingRead", "Certificate", "Shift", "SignUp", "Skill", "Task", "VolunteerProfile"]
