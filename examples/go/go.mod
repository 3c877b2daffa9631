module losscore.example/go

go 1.19
