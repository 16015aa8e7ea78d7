# Pagefind 1.6.0 (@pagefind/windows-x64, the extended build: a static-site search indexer in
# Rust, MSVC link 14.51): --version, then index three HTML pages (two marked data-pagefind-body, one with a
# filter, a sort key and metadata; one French) into the site's pagefind folder. Its report on
# stdout is compared without the working directory, the time taken and the languages found
# (listed in a random order: a Rust hash map's, as the Linux build does); the index files it
# computes (named by their content hash) by SHA-256. The JavaScript, CSS and WebAssembly it
# copies are the build's own (CR LF and other gzip times in the Windows build) and not compared.
# Pages are numbered in the order the folder walk finds them: NTFS lists a folder's names in
# alphabetical order (FindFirstFile's remarks; ntrun's NtQueryDirectoryFile sorts them so), so
# docs/run.html is page 0 and index.html page 1; ext4's readdir gives them in hash order (tmpfs
# in the reverse order of creation), and the Linux build may number them the other way round:
# the fragments and the French files are the same, the English index, metadata and filter and
# the entry file naming them are checked under ntrun and Wine only (windows_only). The Linux
# build names the output folder "site/pagefind" (Rust's Debug form of the path).
native_text '"site/pagefind"' '"site\\\\pagefind"'
ntfs_order='NTFS lists a folder sorted: page numbers'
put site/index.html '<html lang="en"><head><title>Home</title></head><body><nav>Menu</nav><main data-pagefind-body><h1>Welcome</h1><p>Pagefind indexes static sites for search.</p><span data-pagefind-filter="section">guide</span><span data-pagefind-sort="weight">2</span><span data-pagefind-meta="author">Ada</span></main></body></html>\n'
put site/docs/run.html '<html lang="en"><head><title>Running</title></head><body><main data-pagefind-body><h1>Running programs</h1><p>ntrun runs Windows console programs on Linux, searching faster.</p></main></body></html>\n'
put site/fr/index.html '<html lang="fr"><head><title>Accueil</title></head><body><main data-pagefind-body><h1>Bienvenue</h1><p>Recherche plein texte.</p></main></body></html>\n'
put site/draft.html '<html lang="en"><head><title>Draft</title></head><body><p>not indexed: no data-pagefind-body</p></body></html>\n'
run pagefind --version
expect_stdout 'pagefind 1.6.0\n'
expect_exit 0
run pagefind --site site
expect_exit 0
grep -v -e '^Running from:' -e '^Finished in ' -e '^Discovered 2 languages: ' "$out" > "$out.kept"
mv "$out.kept" "$out"
expect_stdout '\nRunning Pagefind v1.6.0 (Extended)\nSource:       "site"\nOutput:       "site\\\\pagefind"\n\n[Walking source directory]\nFound 4 files matching **/*.{html}\n\n[Parsing files]\nFound a data-pagefind-body element on the site.\n\342\206\263 Ignoring pages without this tag.\n\n[Reading languages]\n\n[Building search indexes]\nTotal: \n  Indexed 2 languages\n  Indexed 3 pages\n  Indexed 22 words\n  Indexed 1 filter\n  Indexed 1 sort\n\n'
windows_only "$ntfs_order" expect_sha256 site/pagefind/pagefind-entry.json 2c3f2617c2993191705e7171708608b324593b20b376eed233c842b104368a2a
windows_only "$ntfs_order" expect_sha256 site/pagefind/pagefind.en_c1509094a7.pf_meta 48cd6d331d56084ae1a4656956c522695899a71f1fba91d111959b73b187abbe
expect_sha256 site/pagefind/pagefind.fr_1f75242b4b.pf_meta ec46a9489420c853fd4e020bfbb80f3a15c3a67a882889bf27cf076ed5d41748
windows_only "$ntfs_order" expect_sha256 site/pagefind/index/en_7d11825.pf_index 8283cc63b4f59ab306676edbe54ea8ab781c163b146ddd0745b536cede42cd8b
expect_sha256 site/pagefind/index/fr_c3350fc.pf_index 7f5cd3535505d0bf98af35d723f5b9669a719706a071fde3c33e498128cddc66
expect_sha256 site/pagefind/fragment/en_1f3778c.pf_fragment cda3525da78f76472caa34c4ba17f787f7271dd03f7b848224b2a328854cad87
expect_sha256 site/pagefind/fragment/en_d4c5f85.pf_fragment f45a40f0ea973eb88ab35259118a3ec2d246fd22bbfd8347ae5209ce9f30a648
expect_sha256 site/pagefind/fragment/fr_63d61c4.pf_fragment 4b9bb1e4ee58341debc347c5baab033c4bf2792caa8175b5e9f369e8068a2e2a
windows_only "$ntfs_order" expect_sha256 site/pagefind/filter/en_7b7c4ae.pf_filter ae12033c7628b9d0522fd3b0ec84f8e5aec4871560a12357c8a4741150c8e15d
