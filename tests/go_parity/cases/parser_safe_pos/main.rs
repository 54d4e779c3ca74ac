// Case parser_safe_pos: go/parser's safePos (src/go/parser/parser.go, Go
// 1.19): a method with a named result, whose deferred closure turns the
// panic of go/token's File.Offset on an out-of-range position into the
// file's EOF position. The FileSet and File are the parts of go/token's
// position.go that the case uses, ported too.
use fndefer::{defer, recover, with_defer};

// Pos is a compact encoding of a source position within a file set.
#[derive(Clone, Copy, Default)]
struct Pos(i64);

// A File is a handle for a file belonging to a FileSet.
struct File {
    name: String, // file name as provided to AddFile
    base: i64,    // Pos value range for this file is [base...base+size]
    size: i64,    // file size as provided to AddFile
}

impl File {
    fn name(&self) -> &str {
        &self.name
    }

    fn base(&self) -> i64 {
        self.base
    }

    fn size(&self) -> i64 {
        self.size
    }

    // Offset returns the offset for the given file position p;
    // p must be a valid Pos value in that file.
    fn offset(&self, p: Pos) -> i64 {
        if p.0 < self.base || p.0 > self.base + self.size {
            panic!(
                "invalid Pos value {} (should be in [{}, {}])",
                p.0,
                self.base,
                self.base + self.size
            );
        }
        p.0 - self.base
    }
}

// A FileSet represents a set of source files.
struct FileSet {
    base: i64, // base offset for the next file
}

impl FileSet {
    fn new() -> FileSet {
        FileSet { base: 1 } // 0 == NoPos
    }

    // AddFile adds a new file with a given filename, base offset, and file
    // size to the file set s and returns the file. A base < 0 means the
    // file set's Base().
    fn add_file(&mut self, filename: &str, base: i64, size: i64) -> File {
        let base = if base < 0 { self.base } else { base };
        self.base = base + size + 1; // +1 because EOF also has a position
        File { name: filename.to_string(), base, size }
    }
}

struct Parser<'a> {
    file: &'a File,
}

impl Parser<'_> {
    // safePos returns a valid file position for a given position: If pos
    // is valid to begin with, safePos returns pos. If pos is out-of-range,
    // safePos returns the EOF position.
    #[with_defer(named(res))]
    fn safe_pos(&self, pos: Pos) -> Pos {
        defer!(|| if recover().is_some() {
            res = Pos(self.file.base() + self.file.size()); // EOF position
        });
        let _ = self.file.offset(pos); // trigger a panic if position is out-of-range
        pos // Go: return pos (a tail sets the named result as well)
    }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut fset = FileSet::new();
    let a = fset.add_file("a.go", -1, 10);
    let b = fset.add_file("b.go", -1, 5);
    for f in [&a, &b] {
        let p = Parser { file: f };
        for pos in [0, 1, 5, 11, 12, 17, 18, 100] {
            println!(
                "{} [{}, {}]: safePos({pos}) = {}",
                f.name(),
                f.base(),
                f.base() + f.size(),
                p.safe_pos(Pos(pos)).0
            );
        }
    }
}
