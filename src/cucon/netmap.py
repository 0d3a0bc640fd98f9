"""The network map: an SVG drawn at build time from the cities' coordinates, no tile server."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 960, 480
PADDING_DEGREES = 12


def project(lat: float, lon: float, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Equirectangular projection of a point into the SVG's coordinates.

    >>> project(0, 0, (-180, -90, 180, 90))
    (480.0, 240.0)
    """
    west, south, east, north = box
    x = (lon - west) / (east - west) * WIDTH
    y = (north - lat) / (north - south) * HEIGHT
    return round(x, 1), round(y, 1)


def _box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """A bounding box around the cities with the map's aspect ratio (2:1 in degrees)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    west, east = min(lons) - PADDING_DEGREES, max(lons) + PADDING_DEGREES
    south, north = min(lats) - PADDING_DEGREES, max(lats) + PADDING_DEGREES
    width, height = east - west, north - south
    if width < 2 * height:
        grow = (2 * height - width) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / 2 - height) / 2
        south, north = south - grow, north + grow
    return west, south, east, north


INSET = (-5.5, 41.0, 19.5, 54.5)
"""Western and central Europe, where most cities of the network sit close together."""
INSET_FRAME = (455, 200, 490, 265)
"""x, y, width, height of the inset's frame in the SVG."""

CHAR_WIDTH, LINE_HEIGHT = 10.0, 18.0
"""Rough size of a label's letters, enough to keep labels from overlapping."""

Box = tuple[float, float, float, float]


def _inside(lat: float, lon: float, box: Box) -> bool:
    """True when a point lies in a box (west, south, east, north)."""
    west, south, east, north = box
    return west <= lon <= east and south <= lat <= north


def _overlaps(a: Box, b: Box) -> bool:
    """True when two rectangles (x1, y1, x2, y2) overlap.

    >>> _overlaps((0, 0, 10, 10), (5, 5, 15, 15)), _overlaps((0, 0, 10, 10), (11, 0, 20, 10))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_label(x: float, y: float, label: str, taken: list[Box], frame: Box) -> tuple[float, float, str]:
    """Where to write a label beside its dot: the first of right, left, above, below that is free.

    Returns the text's x, y and text-anchor, and records the label's box in ``taken``.
    """
    width, half = len(label) * CHAR_WIDTH, LINE_HEIGHT / 2
    candidates = [
        (x + 9, y + 5, "start", (x + 8, y - half, x + 8 + width, y + half)),
        (x - 9, y + 5, "end", (x - 8 - width, y - half, x - 8, y + half)),
        (x, y - 11, "middle", (x - width / 2, y - 8 - LINE_HEIGHT, x + width / 2, y - 8)),
        (x, y + 21, "middle", (x - width / 2, y + 8, x + width / 2, y + 8 + LINE_HEIGHT)),
    ]
    inside = [c for c in candidates if c[3][0] >= frame[0] and c[3][2] <= frame[2]] or candidates
    chosen = next((c for c in inside if not any(_overlaps(c[3], t) for t in taken)), inside[0])
    taken.append(chosen[3])
    return round(chosen[0], 1), round(chosen[1], 1), chosen[2]


def _city_mark(
    city, x: float, y: float, label: str | None, url: str, hub: bool, taken: list[Box], frame: Box
) -> str:
    """One city: a dot and (if given) a label, together one link."""
    css = "map-city map-hub" if hub else ("map-city map-member" if city.item.member_of else "map-city")
    text = ""
    if label:
        tx, ty, anchor = place_label(x, y, label, taken, frame)
        text = f'<text x="{tx}" y="{ty}" text-anchor="{anchor}">{escape(label)}</text>'
    return (
        f'<a href={quoteattr(url)} class="{css}"><circle cx="{x}" cy="{y}" r="{7 if hub else 5}"/>{text}</a>'
    )


def network_map(
    cities: list, hub: str, label_of, url_of, title: str, description: str, inset_label: str
) -> str:
    """An accessible SVG map: every city a labelled link, lines from the hub to its partners.

    Cities in crowded Europe are labelled in an inset; ``label_of(city)`` and ``url_of(city)``
    give the localised name and the page URL. A member city without coordinates
    (:mod:`cucon.members`) is left off the map; the list beside it names it.
    """
    cities = [city for city in cities if city.meta.coordinates]
    if not cities:
        return ""
    box = _box([(c.meta.coordinates.lat, c.meta.coordinates.lon) for c in cities])
    west, south, east, north = box
    fx, fy, fw, fh = INSET_FRAME

    def in_inset(lat: float, lon: float) -> tuple[float, float]:
        x, y = project(lat, lon, INSET)
        return round(fx + x / WIDTH * fw, 1), round(fy + y / HEIGHT * fh, 1)

    parts = [
        f'<svg class="network-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        'aria-labelledby="network-map-title network-map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="network-map-title">{escape(title)}</title>',
        f'<desc id="network-map-desc">{escape(description)}</desc>',
        f'<rect class="map-sea" width="{WIDTH}" height="{HEIGHT}" rx="8"/>',
    ]
    for lon in range(-180, 181, 30):
        if west < lon < east:
            x, _ = project(0, lon, box)
            parts.append(f'<line class="map-grid" x1="{x}" y1="0" x2="{x}" y2="{HEIGHT}"/>')
    for lat in range(-90, 91, 30):
        if south < lat < north:
            _, y = project(lat, 0, box)
            parts.append(f'<line class="map-grid" x1="0" y1="{y}" x2="{WIDTH}" y2="{y}"/>')
    hub_city = next((c for c in cities if c.slug == hub), None)
    partners = [c for c in cities if any(r.kind == "partner_city" for r in c.meta.relations)]
    if hub_city:
        hx, hy = project(hub_city.meta.coordinates.lat, hub_city.meta.coordinates.lon, box)
        for city in partners:
            x, y = project(city.meta.coordinates.lat, city.meta.coordinates.lon, box)
            parts.append(f'<line class="map-link" x1="{hx}" y1="{hy}" x2="{x}" y2="{y}"/>')
    # The inset's area on the world map, and the inset itself.
    ix1, iy1 = project(INSET[3], INSET[0], box)
    ix2, iy2 = project(INSET[1], INSET[2], box)
    parts.append(
        f'<rect class="map-inset-area" x="{ix1}" y="{iy1}" width="{round(ix2 - ix1, 1)}" height="{round(iy2 - iy1, 1)}"/>'
    )
    parts.append(f'<rect class="map-inset" x="{fx}" y="{fy}" width="{fw}" height="{fh}" rx="6"/>')
    parts.append(f'<text class="map-inset-label" x="{fx + 10}" y="{fy + 22}">{escape(inset_label)}</text>')
    hub_in_inset = hub_city and _inside(hub_city.meta.coordinates.lat, hub_city.meta.coordinates.lon, INSET)
    if hub_in_inset:
        hx, hy = in_inset(hub_city.meta.coordinates.lat, hub_city.meta.coordinates.lon)
        for city in partners:
            lat, lon = city.meta.coordinates.lat, city.meta.coordinates.lon
            if _inside(lat, lon, INSET):
                x, y = in_inset(lat, lon)
                parts.append(f'<line class="map-link" x1="{hx}" y1="{hy}" x2="{x}" y2="{y}"/>')
    # Labels are placed hub first, then west to east, each avoiding those already placed.
    world_taken: list[Box] = [(fx, fy, fx + fw, fy + fh)]
    inset_taken: list[Box] = [(fx, fy, fx + 80, fy + 30)]
    for city in cities:  # labels keep clear of every dot, too
        lat, lon = city.meta.coordinates.lat, city.meta.coordinates.lon
        x, y = in_inset(lat, lon) if _inside(lat, lon, INSET) else project(lat, lon, box)
        (inset_taken if _inside(lat, lon, INSET) else world_taken).append((x - 7, y - 7, x + 7, y + 7))
    ordered = sorted(cities, key=lambda c: (c.slug != hub, c.meta.coordinates.lon))
    for city in ordered:
        lat, lon = city.meta.coordinates.lat, city.meta.coordinates.lon
        if _inside(lat, lon, INSET):
            # Shown and linked in the inset; its dot on the world map stays decorative.
            x, y = project(lat, lon, box)
            parts.append(f'<circle class="map-dot" cx="{x}" cy="{y}" r="3"/>')
            ix, iy = in_inset(lat, lon)
            inset_frame = (fx, fy, fx + fw, fy + fh)
            parts.append(
                _city_mark(
                    city, ix, iy, label_of(city), url_of(city), city.slug == hub, inset_taken, inset_frame
                )
            )
        else:
            x, y = project(lat, lon, box)
            parts.append(
                _city_mark(
                    city,
                    x,
                    y,
                    label_of(city),
                    url_of(city),
                    city.slug == hub,
                    world_taken,
                    (0, 0, WIDTH, HEIGHT),
                )
            )
    parts.append("</svg>")
    return "".join(parts)
