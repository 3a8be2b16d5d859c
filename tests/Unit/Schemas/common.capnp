# Shared types imported by interop.capnp (exercises imported nodes in a CodeGeneratorRequest).
@0xf9fd5d27cd31cfc1;

struct Point {
  x @0 :Int32;
  y @1 :Int32;
  tag @2 :Text;
}

enum Shade {
  light @0;
  medium @1;
  dark @2;
}

