// Case deepequal_useful_panic: port of unexportedTypePanic, makeUsefulPanic,
// Equalities.deepValueEqual, DeepEqual and deepEqual from kubernetes/apimachinery
// third_party/forked/golang/reflect/deep_equal.go (commit eed236ceee2c19c2753a3d93ac0631dc20750454,
// built here with Go 1.19.8). Every level of the recursive deepValueEqual runs
// `defer makeUsefulPanic(v1)`, a handler that calls recover() itself, prepends its type to an
// unexportedTypePanic and panics again, so the panic that leaves DeepEqual names the whole
// path to the unexported field; any other panic goes on unchanged.
// Adapted to run standalone: deepValueEqual keeps the Slice, Ptr, Struct and default cases
// (the Array, Interface, Map and Func cases and the visited-pointer check are left out);
// AddFunc keeps only the map insertion; main compares a few values and prints the result or
// the panic.
// reflect.Value is a small struct (type name as Go prints it, data, and whether it was
// reached through an unexported field); the test types build theirs with `value_of`.
// One comment is reworded: Go's "It will [u]se e's equality functions" stops #[with_defer]
// from compiling (its import scan lexes comment text; rustc rejects the prefix e').
use fndefer::{Panic, defer, recover, with_defer};
use std::collections::HashMap;
use std::fmt;

#[derive(Clone)]
struct Value {
    typ: &'static str,
    data: Data,
    ro: bool,
}

#[derive(Clone)]
enum Data {
    Invalid,
    Int(i64),
    Str(String),
    Slice(Option<Vec<Value>>),
    Ptr(Option<Box<Value>>),
    Struct(Vec<(bool, Value)>),
}

#[derive(PartialEq)]
enum Kind {
    Int,
    String,
    Slice,
    Ptr,
    Struct,
}

// v.Interface() of a basic kind
#[derive(PartialEq)]
enum Iface {
    Int(i64),
    Str(String),
}

fn invalid() -> Value {
    Value { typ: "<invalid>", data: Data::Invalid, ro: false }
}

impl Value {
    fn is_valid(&self) -> bool {
        !matches!(self.data, Data::Invalid)
    }

    fn typ(&self) -> &'static str {
        self.typ
    }

    fn kind(&self) -> Kind {
        match self.data {
            Data::Int(_) => Kind::Int,
            Data::Str(_) => Kind::String,
            Data::Slice(_) => Kind::Slice,
            Data::Ptr(_) => Kind::Ptr,
            Data::Struct(_) => Kind::Struct,
            Data::Invalid => panic!("reflect: call of reflect.Value.Kind on zero Value"),
        }
    }

    fn is_nil(&self) -> bool {
        match &self.data {
            Data::Slice(s) => s.is_none(),
            Data::Ptr(p) => p.is_none(),
            _ => panic!("reflect: call of reflect.Value.IsNil"),
        }
    }

    fn len(&self) -> usize {
        match &self.data {
            Data::Slice(s) => s.as_ref().map_or(0, |s| s.len()),
            _ => panic!("reflect: call of reflect.Value.Len"),
        }
    }

    fn index(&self, i: usize) -> Value {
        match &self.data {
            Data::Slice(Some(s)) => Value { ro: self.ro || s[i].ro, ..s[i].clone() },
            _ => panic!("reflect: slice index out of range"),
        }
    }

    fn elem(&self) -> Value {
        match &self.data {
            Data::Ptr(Some(p)) => Value { ro: self.ro || p.ro, ..(**p).clone() },
            Data::Ptr(None) => invalid(),
            _ => panic!("reflect: call of reflect.Value.Elem"),
        }
    }

    fn num_field(&self) -> usize {
        match &self.data {
            Data::Struct(f) => f.len(),
            _ => panic!("reflect: call of reflect.Value.NumField"),
        }
    }

    fn field(&self, i: usize) -> Value {
        match &self.data {
            Data::Struct(f) => Value { ro: self.ro || !f[i].0, ..f[i].1.clone() },
            _ => panic!("reflect: call of reflect.Value.Field"),
        }
    }

    fn can_interface(&self) -> bool {
        !self.ro
    }

    fn interface(&self) -> Iface {
        match &self.data {
            Data::Int(n) => Iface::Int(*n),
            Data::Str(s) => Iface::Str(s.clone()),
            _ => panic!("not a basic kind"),
        }
    }
}

// reflect.ValueOf
trait Reflect {
    fn value_of(&self) -> Value;
}

// Equalities is a map from type to a function comparing two values of
// that type.
#[derive(Default)]
struct Equalities(HashMap<&'static str, fn(&Value, &Value) -> bool>);

impl Equalities {
    // For convenience, panics on errors
    fn or_die(funcs: &[(&'static str, fn(&Value, &Value) -> bool)]) -> Equalities {
        let mut e = Equalities::default();
        for &(typ, f) in funcs {
            e.0.insert(typ, f);
        }
        e
    }
}

// unexportedTypePanic is thrown when you use this DeepEqual on something that has an
// unexported type. It indicates a programmer error, so should not occur at runtime,
// which is why it's not public and thus impossible to catch.
struct UnexportedTypePanic(Vec<&'static str>);

impl fmt::Display for UnexportedTypePanic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let strs: Vec<String> = self.0.iter().map(|t| t.to_string()).collect();
        write!(f, "an unexported field was encountered, nested like this: {}", strs.join(" -> "))
    }
}

fn make_useful_panic(v: Value) {
    if let Some(mut x) = recover() {
        if let Some(u) = x.downcast_ref::<UnexportedTypePanic>() {
            let mut path = vec![v.typ()];
            path.extend(u.0.iter().copied());
            x = Panic::from_payload(Box::new(UnexportedTypePanic(path)));
        }
        x.resume();
    }
}

impl Equalities {
    // Tests for deep equality using reflected types. The map argument tracks
    // comparisons that have already been seen, which allows short circuiting on
    // recursive types.
    // equateNilAndEmpty controls whether empty maps/slices are equivalent to nil
    #[with_defer]
    fn deep_value_equal(&self, v1: Value, v2: Value, equate_nil_and_empty: bool, depth: i32) -> bool {
        defer!(make_useful_panic(v1.clone()));

        if !v1.is_valid() || !v2.is_valid() {
            return v1.is_valid() == v2.is_valid();
        }
        if v1.typ() != v2.typ() {
            return false;
        }
        if let Some(fv) = self.0.get(v1.typ()) {
            return fv(&v1, &v2);
        }

        match v1.kind() {
            Kind::Slice => {
                if equate_nil_and_empty {
                    if (v1.is_nil() || v1.len() == 0) != (v2.is_nil() || v2.len() == 0) {
                        return false;
                    }

                    if v1.is_nil() || v1.len() == 0 {
                        return true;
                    }
                } else {
                    if v1.is_nil() != v2.is_nil() {
                        return false;
                    }

                    // Optimize nil and empty cases
                    // Two lists that are BOTH nil are equal
                    // No need to check v2 is nil since v1.IsNil == v2.IsNil from above
                    if v1.is_nil() {
                        return true;
                    }

                    // Two lists that are both empty and both non nil are equal
                    if v1.len() == 0 && v2.len() == 0 {
                        return true;
                    }
                }
                if v1.len() != v2.len() {
                    return false;
                }
                for i in 0..v1.len() {
                    if !self.deep_value_equal(v1.index(i), v2.index(i), equate_nil_and_empty, depth + 1) {
                        return false;
                    }
                }
                true
            }
            Kind::Ptr => self.deep_value_equal(v1.elem(), v2.elem(), equate_nil_and_empty, depth + 1),
            Kind::Struct => {
                for i in 0..v1.num_field() {
                    if !self.deep_value_equal(v1.field(i), v2.field(i), equate_nil_and_empty, depth + 1) {
                        return false;
                    }
                }
                true
            }
            _ => {
                // Normal equality suffices
                if !v1.can_interface() || !v2.can_interface() {
                    std::panic::panic_any(UnexportedTypePanic(vec![]));
                }
                v1.interface() == v2.interface()
            }
        }
    }

    // DeepEqual is like reflect.DeepEqual, but focused on semantic equality
    // instead of memory equality.
    //
    // It will use the equality functions in e if it finds types that match.
    //
    // An empty slice *is* equal to a nil slice for our purposes; same for maps.
    //
    // Unexported field members cannot be compared and will cause an informative panic; you must add an Equality
    // function for these types.
    fn deep_equal(&self, a1: Option<&dyn Reflect>, a2: Option<&dyn Reflect>) -> bool {
        self.deep_equal_(a1, a2, true)
    }

    fn deep_equal_with_nil_different_from_empty(&self, a1: Option<&dyn Reflect>, a2: Option<&dyn Reflect>) -> bool {
        self.deep_equal_(a1, a2, false)
    }

    fn deep_equal_(&self, a1: Option<&dyn Reflect>, a2: Option<&dyn Reflect>, equate_nil_and_empty: bool) -> bool {
        if a1.is_none() || a2.is_none() {
            return a1.is_none() == a2.is_none();
        }
        let v1 = a1.unwrap().value_of();
        let v2 = a2.unwrap().value_of();
        if v1.typ() != v2.typ() {
            return false;
        }
        self.deep_value_equal(v1, v2, equate_nil_and_empty, 0)
    }
}

#[derive(Clone)]
struct Inner {
    name: String,
    id: i64,
}

struct Outer {
    label: String,
    items: Option<Vec<Inner>>,
}

struct Wrapper {
    ptr: Option<Box<Outer>>,
}

impl Reflect for i64 {
    fn value_of(&self) -> Value {
        Value { typ: "int", data: Data::Int(*self), ro: false }
    }
}

impl Reflect for String {
    fn value_of(&self) -> Value {
        Value { typ: "string", data: Data::Str(self.clone()), ro: false }
    }
}

impl Reflect for Inner {
    fn value_of(&self) -> Value {
        let fields = vec![(true, self.name.value_of()), (false, self.id.value_of())];
        Value { typ: "main.Inner", data: Data::Struct(fields), ro: false }
    }
}

impl Inner {
    fn from_value(v: &Value) -> Inner {
        match (v.field(0).data, &v.field(1).data) {
            (Data::Str(name), Data::Int(id)) => Inner { name, id: *id },
            _ => panic!("not a main.Inner"),
        }
    }
}

impl Reflect for Vec<Inner> {
    fn value_of(&self) -> Value {
        Value { typ: "[]main.Inner", data: Data::Slice(Some(self.iter().map(|i| i.value_of()).collect())), ro: false }
    }
}

impl Reflect for Outer {
    fn value_of(&self) -> Value {
        let items = match &self.items {
            Some(items) => items.value_of(),
            None => Value { typ: "[]main.Inner", data: Data::Slice(None), ro: false },
        };
        let fields = vec![(true, self.label.value_of()), (true, items)];
        Value { typ: "main.Outer", data: Data::Struct(fields), ro: false }
    }
}

impl Reflect for Wrapper {
    fn value_of(&self) -> Value {
        let ptr = Value { typ: "*main.Outer", data: Data::Ptr(self.ptr.as_ref().map(|o| Box::new(o.value_of()))), ro: false };
        Value { typ: "main.Wrapper", data: Data::Struct(vec![(true, ptr)]), ro: false }
    }
}

#[with_defer]
fn try_(name: &str, f: &dyn Fn() -> bool) {
    defer!(|| if let Some(r) = recover() {
        match r.downcast_ref::<UnexportedTypePanic>() {
            Some(u) => println!("{}: panic: {}", name, u),
            None => println!("{}: panic: {}", name, r),
        }
    });
    println!("{}: {}", name, f());
}

fn inner(name: &str, id: i64) -> Inner {
    Inner { name: name.to_string(), id }
}

fn wrapper(label: &str, items: Vec<Inner>) -> Wrapper {
    Wrapper { ptr: Some(Box::new(Outer { label: label.to_string(), items: Some(items) })) }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let none = Equalities::default();
    let by_name = Equalities::or_die(&[("main.Inner", |a, b| Inner::from_value(a).name == Inner::from_value(b).name)]);
    let strict = Equalities::or_die(&[("main.Inner", |_, _| panic!("no Inner comparisons here"))]);

    let x = wrapper("a", vec![inner("x", 1)]);
    let y = wrapper("a", vec![inner("x", 2)]);
    let z = wrapper("b", vec![inner("x", 1)]);
    let empty = Outer { label: "a".to_string(), items: Some(vec![]) };
    let nil_items = Outer { label: "a".to_string(), items: None };

    try_("labels differ", &|| none.deep_equal(Some(&x), Some(&z)));
    try_("unexported field", &|| none.deep_equal(Some(&x), Some(&y)));
    try_("slice of unexported", &|| none.deep_equal(Some(&vec![inner("x", 1)]), Some(&vec![inner("x", 1)])));
    try_("by name", &|| by_name.deep_equal(Some(&x), Some(&y)));
    try_("equality func panics", &|| strict.deep_equal(Some(&x), Some(&y)));
    try_("nil and empty", &|| none.deep_equal(Some(&empty), Some(&nil_items)));
    try_("nil different from empty", &|| none.deep_equal_with_nil_different_from_empty(Some(&empty), Some(&nil_items)));
    try_("nil pointer", &|| none.deep_equal(Some(&Wrapper { ptr: None }), Some(&Wrapper { ptr: None })));
    try_("int", &|| none.deep_equal(Some(&1i64), Some(&1i64)));
    try_("nil", &|| none.deep_equal(None, Some(&x)));
}
