// Placeholder until the node process lands (issue 2).
int main() { return 0; }
