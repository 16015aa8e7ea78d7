# git-cliff 2.13.1 (git-cliff-windows-x64: Rust/MSVC with libgit2): a changelog from the
# conventional commits of a git repository (made here with the system's git, dates fixed):
# `--init` writes the default cliff.toml, then the changelog groups the commits by type under
# the tag and the unreleased section, and --bumped-version says what the next version is.
# libgit2 opens the repository through \\?\ paths (GetFullPathNameW, GetLongPathNameW).
if ! command -v git > /dev/null 2>&1; then
    echo "skip corpus3p.$name: git is not installed (it makes the repository)"
    exit 77
fi
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=A \
    GIT_COMMITTER_EMAIL=a@example.com GIT_AUTHOR_DATE=2024-01-02T03:04:05Z \
    GIT_COMMITTER_DATE=2024-01-02T03:04:05Z GIT_CONFIG_NOSYSTEM=1 HOME=$cwd
git init -q . && put a 'a\n' && git add a && git commit -qm 'feat: add a' &&
    put b 'b\n' && git add b && git commit -qm 'fix(core): handle b' && git tag v0.1.0 &&
    put c 'c\n' && git add c && git commit -qm 'docs: describe c' || exit 2
run gitcliff --init
expect_exit 0
run gitcliff
expect_stdout '## [unreleased]\n\n### 📚 Documentation\n\n- Describe c\n## [0.1.0] - 2024-01-02\n\n### 🚀 Features\n\n- Add a\n\n### 🐛 Bug Fixes\n\n- *(core)* Handle b\n'
expect_exit 0
run gitcliff --bumped-version
expect_stdout 'v0.1.1\n'
expect_exit 0
