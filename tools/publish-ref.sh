#!/usr/bin/env bash
# The commit Publish may build: prints its full SHA, or refuses with a reason and exit status 1.
#
#   REF=<tag or commit SHA, or empty> [MAIN=main] tools/publish-ref.sh
#
# Run in a clone with main's whole history and the tags (actions/checkout with fetch-depth: 0).
# Empty REF: the newest commit of origin/MAIN. Otherwise REF must be a tag or a commit SHA (7 to 40
# hex digits) whose commit is on origin/MAIN: a merged commit, never an unmerged branch or a
# commit that only a pull request or a fork has. The value is read from the environment only, and
# git sees it only after it passed the checks below, never as an option.
set -euo pipefail

REF="${REF-}"
MAIN="${MAIN:-main}"
main_ref="refs/remotes/origin/${MAIN}"

refuse() {
    echo "publish-ref: $*" >&2
    exit 1
}

git check-ref-format "refs/heads/${MAIN}" || refuse "the main branch name is not a branch name"
main_sha="$(git rev-parse --verify --quiet "${main_ref}^{commit}")" \
    || refuse "origin/${MAIN} is missing: check out with fetch-depth: 0"

if [ -z "${REF}" ]; then
    echo "${main_sha}"
    exit 0
fi

if [ "${#REF}" -gt 100 ]; then
    refuse "the ref is longer than 100 characters; give a tag or a commit SHA of ${MAIN}"
fi
if [[ "${REF}" =~ ^[0-9a-fA-F]{7,40}$ ]]; then
    if [ -n "$(git for-each-ref --format='%(refname)' "refs/heads/${REF}" "refs/remotes/*/${REF}" "refs/tags/${REF}")" ]; then
        refuse "'${REF}' is both a commit SHA and a branch or tag name; give the full 40-digit SHA"
    fi
    sha="$(git rev-parse --verify --quiet --end-of-options "${REF}^{commit}" 2>/dev/null)" \
        || refuse "'${REF}' is not a commit of this repository; give a tag or a commit SHA of ${MAIN}"
    what="commit ${sha}"
elif git check-ref-format "refs/tags/${REF}" 2>/dev/null \
    && sha="$(git rev-parse --verify --quiet "refs/tags/${REF}^{commit}")"; then
    what="tag '${REF}' (commit ${sha})"
else
    refuse "'${REF}' is neither a tag nor a commit SHA; branches are refused, since they can hold unmerged" \
        "work: give a tag or a commit SHA of ${MAIN}, or leave it empty for the newest ${MAIN}"
fi

git merge-base --is-ancestor "${sha}" "${main_sha}" \
    || refuse "${what} is not on ${MAIN}: only merged commits are published; give a tag or a commit SHA of ${MAIN}"
echo "${sha}"
