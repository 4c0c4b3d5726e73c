package dev.spindle.linalg;

/**
 * What {@link PowerMethod} found: the eigenvalue estimate, the unit eigenvector estimate (a fresh
 * array the caller owns), how many iterations ran, and whether the stopping test was met before
 * the iteration cap. When {@code converged} is false, {@code value} is the last estimate, not an
 * eigenvalue to rely on.
 */
public record EigenEstimate(double value, double[] vector, int iterations, boolean converged) {

    @Override
    public String toString() {
        return "EigenEstimate[value=" + value + ", n=" + vector.length + ", iterations=" + iterations
                + ", converged=" + converged + "]";
    }
}
