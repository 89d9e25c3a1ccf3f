package io.cyroid.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "io.cyroid")
@ConfigurationPropertiesScan("io.cyroid")
public class CyroidApplication {

    public static void main(String[] args) {
        // Axon's update checker calls an outside host; it must never run (a Spring property cannot stop it).
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CyroidApplication.class, args);
    }
}
