"""Crisis resources, drawn so they cannot be missed."""

from __future__ import annotations

import streamlit as st

from core.safety import Assessment, CrisisResources


def _lines(resources: CrisisResources) -> list[str]:
    lines = [
        f"**Emergency: {resources.emergency_number}** — if you might act on thoughts of "
        "harming yourself or someone else, or you're in danger now."
    ]
    for helpline in resources.helplines:
        ways = [
            part
            for part in (helpline.phone and f"call **{helpline.phone}**", helpline.text)
            if part
        ]
        detail = ", ".join(ways) if ways else ""
        hours = f" ({helpline.hours})" if helpline.hours else ""
        link = f" · [{helpline.url}]({helpline.url})" if helpline.url else ""
        lines.append(f"**{helpline.name}**: {detail}{hours}{link}")
        alternative = resources.alternative_to(helpline)
        if alternative:
            lines.append(f"When {helpline.name} is closed: {alternative}, any time.")
    lines.append(
        f"More helplines worldwide: [{resources.directory_url}]({resources.directory_url})"
    )
    return lines


def show_crisis_resources(resources: CrisisResources, *, message: str = "") -> None:
    """A prominent error-coloured box with the region's numbers and a short human message."""
    body = "\n\n".join(
        ([message] if message else [])
        + [f"### Support right now ({resources.region_name})"]
        + _lines(resources)
    )
    st.error(body, icon=":material/emergency:")


def crisis_expander(resources: CrisisResources) -> None:
    """A quiet, always-available link to the same numbers."""
    with st.expander("If you need help right now", icon=":material/emergency:"):
        st.markdown("\n\n".join(_lines(resources)))


def help_now_line(resources: CrisisResources) -> None:
    """The emergency number and the region's first crisis line in one visible line (under an
    answer from the guides, which point to a crisis line without naming its number)."""
    parts = [f"emergency **{resources.emergency_number}**"]
    if resources.helplines:
        first = resources.helplines[0]
        reach = f"**{first.phone}**" if first.phone else (first.text or first.url or "")
        parts.append(f"{first.name} {reach}".strip())
    st.caption(
        ":material/emergency: If you need help right now: "
        + " · ".join(parts)
        + ". More numbers under “If you need help right now” in the menu."
    )


def show_save_outcome(assessment: Assessment | None, *, saved: str) -> None:
    """After a save of something the person wrote: the crisis numbers at once (saying `saved`,
    e.g. "Your night is saved."), a gentle line with the numbers one click away, or "Saved."."""
    if assessment is not None and assessment.level == "crisis":
        show_crisis_resources(assessment.resources, message=assessment.message)
        st.caption(saved)
    elif assessment is not None and assessment.level == "concern":
        st.info(f"Saved. {assessment.message}", icon=":material/favorite:")
        crisis_expander(assessment.resources)
    else:
        st.success("Saved.", icon=":material/check:")
