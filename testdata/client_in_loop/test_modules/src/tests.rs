mod helpers;

#[test]
fn many() {
    helpers::hammer(10);
}
