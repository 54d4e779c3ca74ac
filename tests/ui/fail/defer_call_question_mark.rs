use fndefer::{defer, with_defer};

struct File;
impl File {
    fn close(&mut self) -> Result<(), String> {
        Ok(())
    }
}

#[with_defer]
fn save() -> Result<(), String> {
    let mut file = File;
    defer!(file.close()?);
    Ok(())
}

fn main() {
    save().unwrap();
}
