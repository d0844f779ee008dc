"""Tables, one module per aggregate; importing this package registers them all."""
from webapp.models.aggregate import Aggregate
from webapp.models.course import Course
from webapp.models.gaps import CourseMatch, MatchState, UnitGap
from webapp.models.leader import LeaderAnswer, LeaderShareRow
from webapp.models.org import Fylke, Kommune, School
from webapp.models.outbox import OutboxEvent
from webapp.models.plan import PlanRun, SavedPlan
from webapp.models.response import Answer, Invitation, PooledResponse, Response, ScreenOutCount
from webapp.models.survey import Round, RoundSchool, SurveyVersion
from webapp.models.user import User, UserSchool

__all__ = [
    "Aggregate", "Answer", "Course", "CourseMatch", "Fylke", "Invitation", "Kommune", "LeaderAnswer",
    "LeaderShareRow",
    "MatchState", "OutboxEvent", "PlanRun", "PooledResponse", "Response", "Round", "RoundSchool", "SavedPlan",
    "School",
    "ScreenOutCount", "SurveyVersion", "UnitGap", "User", "UserSchool",
]
