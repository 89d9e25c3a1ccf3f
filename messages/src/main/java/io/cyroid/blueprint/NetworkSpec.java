package io.cyroid.blueprint;

public record NetworkSpec(String name, String subnet, String gateway) {
}
