"""StreamField blocks on Oscar's products: they store product ids only and render live price,
stock and OCOP badge through Oscar's strategy."""

from .choosers import product_chooser_viewset

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="catalog.blocks"
)
