use fndefer::{defer, with_defer};

struct File;
impl File {
    fn sync(&mut self) -> Result<(), String> {
        Ok(())
    }
}

#[with_defer]
fn save() {
    let mut file = File;
    defer!(let _ = file.sync());
}

fn main() {
    save();
}
