// files: creates a directory tree in a temporary directory, writes and reads files, walks the
// tree with filepath.WalkDir, stats, renames and removes.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func check(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

func main() {
	root, err := os.MkdirTemp("", "ntrun-go-files")
	check(err)
	defer os.RemoveAll(root)
	dirs := []string{"a", "a/b", "a/b/c", "d"}
	for _, d := range dirs {
		check(os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755))
	}
	files := map[string]string{
		"top.txt":       "top level\n",
		"a/one.txt":     "one\n",
		"a/b/two.txt":   strings.Repeat("two ", 1000),
		"a/b/c/three":   "",
		"d/four.data":   "4444",
	}
	for name, content := range files {
		check(os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(content), 0o644))
	}
	var seen []string
	total := int64(0)
	check(filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			seen = append(seen, rel+"/")
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		seen = append(seen, fmt.Sprintf("%s %d", rel, info.Size()))
		return nil
	}))
	sort.Strings(seen)
	for _, s := range seen {
		fmt.Println(s)
	}
	fmt.Println("total bytes:", total)

	data, err := os.ReadFile(filepath.Join(root, "a", "one.txt"))
	check(err)
	fmt.Printf("read: %q\n", data)
	st, err := os.Stat(filepath.Join(root, "a", "b"))
	check(err)
	fmt.Println("stat a/b:", st.Name(), st.IsDir())
	_, err = os.Stat(filepath.Join(root, "missing"))
	fmt.Println("missing is not-exist:", os.IsNotExist(err))

	check(os.Rename(filepath.Join(root, "d", "four.data"), filepath.Join(root, "d", "renamed")))
	entries, err := os.ReadDir(filepath.Join(root, "d"))
	check(err)
	for _, e := range entries {
		fmt.Println("d entry:", e.Name())
	}
	f, err := os.OpenFile(filepath.Join(root, "top.txt"), os.O_APPEND|os.O_WRONLY, 0)
	check(err)
	_, err = f.WriteString("appended\n")
	check(err)
	check(f.Close())
	data, err = os.ReadFile(filepath.Join(root, "top.txt"))
	check(err)
	fmt.Printf("top: %q\n", data)
	check(os.Remove(filepath.Join(root, "a", "b", "c", "three")))
	check(os.RemoveAll(filepath.Join(root, "a")))
	_, err = os.Stat(filepath.Join(root, "a"))
	fmt.Println("a removed:", os.IsNotExist(err))
}
