"""The site build as a package; later steps move the build from plugins/ into it."""
