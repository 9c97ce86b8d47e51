package dev.finitomata.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * INTERNAL API. Path searches over a definition's graph (state -> event -> targets).
 *
 * <p>Design: breadth-first search for shortest paths; an iterative depth-first walk (no recursion, so a chain of
 * thousands of states cannot overflow the stack) for simple paths and cycles, bounded both by the number of results
 * asked for and by a fixed step budget, since the number of simple paths can grow exponentially.
 */
final class GraphSearch {

    /** Upper bound on edges examined by one depth-first walk. */
    static final int STEP_BUDGET = 2_000_000;
    private static final String STAR = FsmDefinition.PSEUDO_STATE;

    private GraphSearch() {
    }

    static Optional<FsmPath> shortestPath(Map<String, Map<String, Set<String>>> out, String from, String to) {
        Map<String, FsmTransition> cameBy = new HashMap<>();
        Set<String> seen = new HashSet<>(List.of(from));
        Deque<String> queue = new ArrayDeque<>(seen);
        while (!queue.isEmpty() && !seen.contains(to)) {
            String state = queue.poll();
            if (state.equals(STAR) && !state.equals(from)) {
                continue;
            }
            for (Iterator<FsmTransition> it = edges(out, state); it.hasNext(); ) {
                FsmTransition t = it.next();
                if (seen.add(t.to())) {
                    cameBy.put(t.to(), t);
                    queue.add(t.to());
                }
            }
        }
        if (!seen.contains(to)) {
            return Optional.empty();
        }
        LinkedList<FsmTransition> steps = new LinkedList<>();
        for (String at = to; !at.equals(from); at = steps.getFirst().from()) {
            steps.addFirst(cameBy.get(at));
        }
        return Optional.of(new FsmPath(steps));
    }

    static List<FsmPath> simplePaths(Map<String, Map<String, Set<String>>> out, String entry, Set<String> finals,
                                     int limit) {
        requirePositive(limit);
        List<FsmPath> found = new ArrayList<>();
        walk(out, entry, state -> !state.equals(STAR), (path, state) -> {
            if (finals.contains(state)) {
                found.add(new FsmPath(path));
            }
            return found.size() < limit;
        }, false);
        found.sort(Comparator.comparingInt(p -> p.steps().size()));
        return List.copyOf(found);
    }

    static List<FsmPath> cycles(Map<String, Map<String, Set<String>>> out, Set<String> states, int limit) {
        requirePositive(limit);
        Map<String, Integer> index = new HashMap<>();
        states.forEach(s -> index.put(s, index.size()));
        List<FsmPath> found = new ArrayList<>();
        for (String start : states) {
            int min = index.get(start);
            boolean more = walk(out, start, s -> index.getOrDefault(s, -1) > min, (path, state) -> {
                if (state.equals(start) && !path.isEmpty()) {
                    found.add(new FsmPath(path));
                }
                return found.size() < limit;
            }, true);
            if (!more) {
                break;
            }
        }
        return List.copyOf(found);
    }

    /**
     * Walks every simple path from {@code start} through states accepted by {@code enter}, calling {@code arrive}
     * with the path so far at each state reached (and, when {@code closeCycles}, at {@code start} again). Answers
     * false when {@code arrive} asked to stop or the step budget ran out.
     */
    private static boolean walk(Map<String, Map<String, Set<String>>> out, String start, Predicate<String> enter,
                                BiPredicate<List<FsmTransition>, String> arrive, boolean closeCycles) {
        List<FsmTransition> path = new ArrayList<>();
        Set<String> onPath = new HashSet<>(List.of(start));
        Deque<Iterator<FsmTransition>> stack = new ArrayDeque<>();
        if (!closeCycles && !arrive.test(path, start)) {
            return false;
        }
        stack.push(edges(out, start));
        int steps = 0;
        while (!stack.isEmpty()) {
            if (++steps > STEP_BUDGET) {
                return false;
            }
            Iterator<FsmTransition> top = stack.peek();
            if (!top.hasNext()) {
                stack.pop();
                if (!path.isEmpty()) {
                    onPath.remove(path.remove(path.size() - 1).to());
                }
                continue;
            }
            FsmTransition t = top.next();
            if (closeCycles && t.to().equals(start)) {
                path.add(t);
                boolean more = arrive.test(path, start);
                path.remove(path.size() - 1);
                if (!more) {
                    return false;
                }
            } else if (enter.test(t.to()) && onPath.add(t.to())) {
                path.add(t);
                if (!arrive.test(path, t.to())) {
                    return false;
                }
                stack.push(edges(out, t.to()));
            }
        }
        return true;
    }

    private static Iterator<FsmTransition> edges(Map<String, Map<String, Set<String>>> out, String state) {
        return out.getOrDefault(state, Map.of()).entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(to -> new FsmTransition(state, e.getKey(), to)))
                .iterator();
    }

    private static void requirePositive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }
}
