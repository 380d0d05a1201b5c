"""The yearly tables of the annual report (sections 二, 三, 四), derived from the tickets."""
