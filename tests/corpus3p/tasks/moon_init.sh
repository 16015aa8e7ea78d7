# moon 2.5.5 (see moon_version): `moon init --yes --minimal` writes a workspace configuration
# (.moon/workspace.yml; no git here, so the default branch is "master") and appends its cache
# folders to .gitignore, then names the folder it initialised (in a box it wraps at the
# terminal width, COLUMNS here).
export MOON_TELEMETRY=false NO_COLOR=1 COLUMNS=200
put .gitignore 'node_modules\n'
run moon init --yes --minimal
expect_stdout '\n\342\224\202 SUCCESS\n\342\224\202 Successfully initialized moon in @CWD@!\n\342\224\202\n\342\224\202 Learn more: https://moonrepo.dev/docs\n\342\224\202 Need help?  https://discord.gg/qCh9MEynv2\n\n'
expect_exit 0
expect_sha256 .moon/workspace.yml 00d66f8f7fd7eb11046d9dff0b5fb0e42cbe70d1694bb04036afe1d6c7095e67
expect_file .gitignore 'node_modules\n\n# moon\n.moon/cache\n.moon/docker\n'
