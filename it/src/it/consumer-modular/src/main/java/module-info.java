/** A user's modular application: it needs only the API; backends on the module path are found by ServiceLoader. */
module org.example.modular {
    requires org.softmax4j.api;
}
