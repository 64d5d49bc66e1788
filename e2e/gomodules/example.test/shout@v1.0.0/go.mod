module example.test/shout

go 1.19
