// Case gosym_go12funcs: port of (*LineTable).go12Funcs from Go 1.19
// src/debug/gosym/pclntab.go (golang/go, go1.19.8; /usr/share/go-1.19/src/debug/gosym/pclntab.go).
// The function defers, inside `if !disableRecover { .. }`, a literal that calls recover()
// and sets nothing: a malformed table (a slice lookup that panics) returns nil, the zero
// value of []Func, whatever the body had built so far.
// Adapted to run standalone: the binary pcln table is a struct of slices (functab holds the
// nfunctab+1 entry PCs, funcdata a name and frame size per function), so funcTab, pc,
// funcData, deferreturn, nameoff and funcName are one-line lookups that panic where the real
// decoder's slice lookups do; Func and Sym keep the fields go12Funcs sets. main prints the
// length, not `funcs == nil`: the Rust zero value of Vec is empty, not nil.
// Go's pointers between Func and Sym (f.Sym = &syms[i], Sym.Func = f) are a copy of the Sym
// and the index of the Func; LineTable is a raw pointer.
use fndefer::{defer, recover, with_defer};

#[allow(dead_code)] // go12Funcs sets every field; main reads some
#[derive(Clone, Default)]
struct Sym {
    value: u64,
    typ: u8,
    name: String,
    go_type: u64,
    func: usize,
}

#[derive(Clone, Default)]
struct Func {
    entry: u64,
    sym: Sym,
    end: u64,
    frame_size: i32,
    line_table: Option<*const LineTable>,
}

struct LineTable {
    nfunctab: u32,
    functab: Vec<u64>,
    funcdata: Vec<FuncInfo>,
}

#[derive(Clone)]
struct FuncInfo {
    name: &'static str,
    frame_size: u32,
}

struct FuncTab<'a>(&'a LineTable);

impl LineTable {
    fn func_tab(&self) -> FuncTab<'_> {
        FuncTab(self)
    }
}

impl FuncTab<'_> {
    fn count(&self) -> usize {
        self.0.nfunctab as usize
    }

    fn pc(&self, i: usize) -> u64 {
        self.0.functab[i]
    }
}

struct FuncData {
    data: FuncInfo,
    off: u32,
}

impl LineTable {
    fn func_data(&self, i: u32) -> FuncData {
        FuncData { data: self.funcdata[i as usize].clone(), off: i }
    }

    fn func_name(&self, off: u32) -> String {
        self.funcdata[off as usize].name.to_string()
    }
}

impl FuncData {
    fn deferreturn(&self) -> u32 {
        self.data.frame_size
    }

    fn nameoff(&self) -> u32 {
        self.off
    }
}

impl LineTable {
    // go12Funcs returns a slice of Funcs derived from the Go 1.2+ pcln table.
    #[with_defer]
    fn go12_funcs(&self) -> Vec<Func> {
        // Assume it is malformed and return nil on error.
        if !DISABLE_RECOVER {
            defer!(|| {
                let _ = recover();
            });
        }

        let ft = self.func_tab();
        let mut funcs = vec![Func::default(); ft.count()];
        let mut syms = vec![Sym::default(); funcs.len()];
        for i in 0..funcs.len() {
            let f = &mut funcs[i];
            f.entry = ft.pc(i);
            f.end = ft.pc(i + 1);
            let info = self.func_data(i as u32);
            f.line_table = Some(self as *const LineTable);
            f.frame_size = info.deferreturn() as i32;
            syms[i] = Sym {
                value: f.entry,
                typ: b'T',
                name: self.func_name(info.nameoff()),
                go_type: 0,
                func: i,
            };
            f.sym = syms[i].clone();
        }
        funcs
    }
}

// disableRecover causes this package not to swallow panics.
// This is useful when making changes.
const DISABLE_RECOVER: bool = false;

fn show(name: &str, t: &LineTable) {
    let funcs = t.go12_funcs();
    println!("{}: {} funcs", name, funcs.len());
    for f in &funcs {
        println!(
            "  {} [{:#x}, {:#x}) frame {} type {}",
            f.sym.name, f.entry, f.end, f.frame_size, f.sym.typ as char
        );
    }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let main = vec![
        FuncInfo { name: "main.main", frame_size: 24 },
        FuncInfo { name: "main.helper", frame_size: 8 },
        FuncInfo { name: "main.init", frame_size: 0 },
    ];
    show("good", &LineTable { nfunctab: 3, functab: vec![0x1000, 0x1080, 0x10c0, 0x1100], funcdata: main.clone() });
    show("empty", &LineTable { nfunctab: 0, functab: vec![0x1000], funcdata: vec![] });
    show("truncated functab", &LineTable { nfunctab: 3, functab: vec![0x1000, 0x1080, 0x10c0], funcdata: main.clone() });
    show("missing funcdata", &LineTable { nfunctab: 3, functab: vec![0x1000, 0x1080, 0x10c0, 0x1100], funcdata: main[..1].to_vec() });
    show("no functab", &LineTable { nfunctab: 2, functab: vec![], funcdata: vec![] });
}
