use fndefer::defer;

fn cleanup() {}

fn main() {
    defer!(cleanup());
}
