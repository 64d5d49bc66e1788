module example.test/hello

go 1.19

require (
	example.test/greet v1.0.0
	example.test/shout v1.0.0
)
