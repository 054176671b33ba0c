// This program must not compile: a shared view of `a` is still in use when `a` is
// changed. tests/expand.rs checks that it fails, and that it compiles once the
// marked line is removed.
use ndarray::Array2;

fn main() {
    let mut a = Array2::<f64>::ones((2, 3));
    let reader = a.view(); // a shared borrow of a's buffer
    a += 10.0; // error[E0502]: `a` is still borrowed by `reader`
    println!("{reader}"); // ...the shared borrow is still used here
}
