"""The transfers a job can run, one module per service; `twinport.transfer.registry` names them."""
