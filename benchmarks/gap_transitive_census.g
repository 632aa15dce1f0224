# GAP script: transitive groups of degree 2..MAXDEG with order, 2-closure order and generators (1-based images).
# Run: gap -q benchmarks/gap_transitive_census.g > tests/data/transitive_groups.json   (MAXDEG set below)
MAXDEG := 12;;
SizeScreen([100000, 24]);;
first := true;;
Print("[\n");
for d in [2..MAXDEG] do
  for k in [1..NrTransitiveGroups(d)] do
    G := TransitiveGroup(d, k);;
    C := TwoClosure(G);;
    gens := List(GeneratorsOfGroup(G), g -> ListPerm(g, d));;
    if not first then Print(",\n"); fi;
    first := false;;
    Print("{\"degree\": ", d, ", \"index\": ", k, ", \"order\": ", Size(G), ", \"closure_order\": ", Size(C),
          ", \"generators\": ", gens, "}");
  od;
od;
Print("\n]\n");
QUIT;
