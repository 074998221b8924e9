"""Schema of an exercise: the three action-learning formats and tacit-knowledge tools."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, PositiveInt, model_validator

from packgen.model.common import Context, Slug, Strict, Tags, Text

MAX_MINUTES = 7 * 24 * 60
Minutes = Annotated[int, Field(gt=0, le=MAX_MINUTES)]
"""Whole minutes, above zero and at most a week: a session plan's clock must stay a clock."""

ACTIVITY_KINDS: dict[str, str] = {
    "set-meeting": "Action learning set meeting: the full format, facilitated",
    "challenge-clinic": "Challenge clinic: one challenge in a short session",
    "team-set": "Team set: a team works on a challenge it shares",
    "tacit-tool": "Tacit-knowledge tool: a way to surface and share know-how",
}

Kind = Literal["set-meeting", "challenge-clinic", "team-set", "tacit-tool"]


class GroupSize(Strict):
    """How many people the exercise is designed for."""

    min: PositiveInt = Field(description="Smallest group that still works.")
    max: PositiveInt = Field(description="Largest group before it should be split.")
    ideal: PositiveInt | None = Field(
        default=None, description="Best size, if there is one; between min and max."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not be larger than max ({self.max})")
        if self.ideal is not None and not self.min <= self.ideal <= self.max:
            raise ValueError(f"ideal ({self.ideal}) must lie between min and max")
        return self


class Role(Strict):
    """A part someone plays in the session."""

    id: Slug | None = Field(
        default=None,
        description="Stable name of the role for partial overrides; derived from its name "
        "when absent (Topic holder: topic-holder).",
    )
    name: Text = Field(description="Name of the role, e.g. 'Topic holder'.")
    description: Text = Field(description="What the person in this role does.")


class Step(Strict):
    """One timed step of the session, in the order it is run."""

    id: Slug | None = Field(
        default=None,
        description="Stable name of the step for partial overrides; derived from its title "
        "when absent (Clarifying questions: clarifying-questions).",
    )
    title: Text = Field(description="Short name of the step, e.g. 'Clarifying questions'.")
    minutes: Minutes = Field(description="Time the step takes, in whole minutes.")
    instructions: Text = Field(description="What the group does, in Markdown.")
    facilitator_notes: Text | None = Field(
        default=None, description="Advice for whoever keeps time and process, in Markdown."
    )
    questions: list[Text] = Field(
        default_factory=list, description="Suggested questions to ask in this step."
    )


class Checklist(Strict):
    """Facilitator checklist items, each a thing to tick off."""

    before: list[Text] = Field(default_factory=list, description="To do before the session.")
    during: list[Text] = Field(default_factory=list, description="To watch during the session.")
    after: list[Text] = Field(default_factory=list, description="To do after the session.")


class Exercise(Strict):
    """An exercise or tool: everything a facilitator needs to run it."""

    id: Slug = Field(description="Unique identifier; also the page's file name.")
    kind: Kind = Field(description="Which type of exercise this is (see the list of kinds).")
    title: Text = Field(description="Title shown in navigation and at the top of the page.")
    summary: Text = Field(description="One or two sentences saying what it is for.")
    purpose: Text = Field(description="Why a group would run it and what it produces, Markdown.")
    when_to_use: list[Text] = Field(
        min_length=1, description="Situations where it fits, one per item."
    )
    group_size: GroupSize = Field(description="How many participants it suits.")
    duration: Minutes = Field(description="Total length in minutes; steps should add up to it.")
    roles: list[Role] = Field(default_factory=list, description="Roles people take in it.")
    materials: list[Text] = Field(default_factory=list, description="What to bring or prepare.")
    preparation: list[Text] = Field(
        default_factory=list, description="Things to do before the session, one per item."
    )
    steps: list[Step] = Field(min_length=1, description="The session, step by step, in order.")
    tailoring: dict[Context, Text] = Field(
        default_factory=dict,
        description="How to adapt it, keyed by context (remote, low-connectivity, insecure, ...).",
    )
    checklist: Checklist = Field(
        default_factory=Checklist, description="Facilitator checklist: before, during, after."
    )
    related: list[Slug] = Field(
        default_factory=list, description="Ids of other exercises or logs worth reading next."
    )
    tags: Tags

    @property
    def step_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)
