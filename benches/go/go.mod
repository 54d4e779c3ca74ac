module fndefer/benches/go

go 1.19
