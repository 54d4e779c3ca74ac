use fndefer::{defer, with_defer};

struct File;
impl File {
    fn sync(&mut self) -> Result<(), String> {
        Ok(())
    }
}

#[with_defer]
fn save() -> Result<(), String> {
    let mut file = File;
    defer!(file.sync())?;
    Ok(())
}

fn main() {
    save().unwrap();
}
