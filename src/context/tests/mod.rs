mod ignore_table;
mod tree_and_sources;
